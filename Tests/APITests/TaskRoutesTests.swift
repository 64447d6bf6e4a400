// APITests: training tasks, rounds and model versions, with proofs.

import APITypes
import Consensus
import DeAICore
import DeAITesting
import HTTPTypes
import HummingbirdTesting
import Ledger
import Testing

@Suite("GET /v1/tasks, /v1/tasks/{id}/rounds/{n}, /v1/tasks/{id}/models, /v1/models/{hash}")
struct TaskRoutesTests {
    @Test("no tasks is an empty list")
    func noTasks() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                let view = try await client.get("/v1/tasks").decode(TasksView.self)
                #expect(view.tasks.isEmpty)
                #expect(view.height == 0)
            }
        }
    }

    @Test("the list of tasks and one task with its spec, members and a proof of its entry")
    func task() async throws {
        try await TrainingRun.withTask(through: .enrolled) { node in
            try await node.app().test(.router) { client in
                let state = await node.chain.view.state
                let task = try #require(state.tasks[1])

                let list = try await client.get("/v1/tasks").decode(TasksView.self)
                #expect(list.tasks == [TaskSummaryView(task)])
                let summary = try #require(list.tasks.first)
                #expect(summary.sponsor == TrainingRun.sponsor.verifyingKey.address)
                #expect(summary.status == .running && summary.round == 1 && summary.phase == .commitUpdates)
                #expect(summary.escrow == 10_000 && summary.version == 0)
                #expect(summary.model == TrainingFixtures.spec().initialModel)
                let raw = try await client.get("/v1/tasks").text
                for key in ["phase_end_height", "total_rewarded", "total_slashed", "\"escrow\":10000"] {
                    #expect(raw.contains(key), "\(raw)")
                }

                let view = try await client.get("/v1/tasks/1?prove=true").decode(TaskView.self)
                #expect(view.spec.spec == TrainingFixtures.spec())
                #expect(view.name == "tumour classifier")
                #expect(view.members.count == 6)
                #expect(view.members.map(\.address) == view.members.map(\.address).sorted())
                let evaluators = view.members.filter { $0.role == .evaluator }
                #expect(evaluators.map(\.stake).sorted() == [100, 100, 300])
                #expect(evaluators.allSatisfy { $0.dataCommitment == TrainingRun.dataCommitment(of: $0.address) })
                #expect(view.members.filter { $0.role == .trainer }.allSatisfy { $0.dataCommitment == nil })
                #expect(view.members.allSatisfy { $0.active && $0.earned == 0 && $0.slashed == 0 })
                let proven = try Self.verify(try #require(view.proof), key: .task(id: 1))
                #expect(try TrainingTask(canonicalEncoding: proven) == task)

                let plain = try await client.get("/v1/tasks/1").decode(TaskView.self)
                #expect(plain.proof == nil)
                #expect(plain.summary == summary)
                let text = try await client.get("/v1/tasks/1").text
                // The summary's fields sit at the top level, beside the full view's own.
                for key in ["\"model_spec\"", "\"phase_end_height\"", "\"total_slashed\"", "\"created_height\"",
                            "\"members\"", "\"sponsor\""]
                {
                    #expect(text.contains(key), "\(text)")
                }
                #expect(!text.contains("\"summary\""))
            }
        }
    }

    @Test("a settled round: commitments, updates with verdicts, weighted scores, forfeits, pay, and a proof")
    func settledRound() async throws {
        try await TrainingRun.withTask(through: .firstRound) { node in
            try await node.app().test(.router) { client in
                let round = try #require(await node.chain.view.state.rounds[1]?[1])
                let view = try await client.get("/v1/tasks/1/rounds/1?prove=true").decode(RoundView.self)
                #expect(view.taskID == 1 && view.round == 1 && view.baseParent == nil)
                #expect(view.selected == round.selected)
                #expect(view.updateCommitments.map(\.member) == round.selected)
                #expect(view.updateCommitments.map(\.hash) == round.updateCommitments.map(\.hash))
                #expect(view.updates.map(\.contributor) == round.updates.map(\.contributor))
                #expect(view.updates.map(\.blob) == round.selected.map(TrainingRun.blob(of:)))
                #expect(view.updates.map(\.sampleCount) == [100, 100, 100])
                let verdicts = view.updates.compactMap(\.verdict)
                #expect(verdicts.map(\.accepted) == [true, true, false])
                #expect(verdicts.map(\.harmful) == [false, false, true])
                #expect(verdicts.map(\.excluded) == [false, false, false])
                #expect(verdicts.map(\.consensusScore) == [3_000, 1_000, -2_000])
                #expect(verdicts.map(\.evidence) == [-800, -500, 47_000])
                #expect(verdicts.map(\.reward) == [1_860, 620, 0])
                #expect(verdicts.map(\.slashed) == [0, 0, 100])
                #expect(view.scoreCommitments.count == 3)
                #expect(view.scores.count == 2)
                #expect(view.scores.allSatisfy { $0.assessments == TrainingRun.assessments.map(AssessmentView.init) })
                #expect(view.scores.map(\.weight) == [100, 100])
                #expect(view.forfeited == [TrainingRun.evaluators[2].verifyingKey.address])
                #expect(view.evaluatorPayouts.map(\.reward) == [310, 310])
                #expect(view.evaluatorPayouts.map(\.weight) == view.scores.compactMap(\.weight))
                #expect(view.evaluatorPayouts.allSatisfy { $0.agreementBasisPoints == 10_000 })
                #expect(view.attestations.map(\.model) == [TrainingRun.aggregate, TrainingRun.aggregate])
                #expect(view.attestations.allSatisfy { $0.improvement == TrainingRun.improvement })
                #expect(view.budget == 5_000 && view.improvement == 31_000 && view.earned == 3_100)
                #expect(view.result == .newVersion)
                #expect(view.resultModel == TrainingRun.aggregate)
                #expect(view.height == (await node.chain.view.height))
                let proven = try Self.verify(try #require(view.proof), key: .round(taskID: 1, number: 1))
                #expect(try TrainingRound(canonicalEncoding: proven) == round)

                let raw = try await client.get("/v1/tasks/1/rounds/1").text
                for key in ["\"consensus_score\":-2000", "agreement_basis_points", "metric_basis_points\":9500",
                    "\"result\":\"new_version\"", "result_model", "sample_count", "opened_height", "base_model",
                    "update_commitments", "score_commitments", "\"harm_error\":1000", "\"evidence\":47000",
                    "\"budget\":5000", "\"earned\":3100", "\"improvement\":31000", "\"forfeited\":[\"deai1"]
                {
                    #expect(raw.contains(key), "\(raw)")
                }
            }
        }
    }

    @Test("a member's standing in a round: selected, committed, revealed, scored, attested or forfeited")
    func standing() async throws {
        try await TrainingRun.withTask(through: .firstRound) { node in
            try await node.app().test(.router) { client in
                let round = try #require(await node.chain.view.state.rounds[1]?[1])
                let trainer = TrainingRun.trainers[0].verifyingKey.address
                let view = try await client.get("/v1/tasks/1/rounds/1/members/\(trainer)").decode(RoundStandingView.self)
                #expect(view.standing == round.standing(of: trainer))
                #expect(view.height == (await node.chain.view.height))
                let standing = view.standing
                #expect(standing.taskID == 1 && standing.round == 1 && standing.member == trainer)
                #expect(standing.selected && standing.updateCommitted && standing.updateRevealed && !standing.copied)
                #expect(!standing.scoresCommitted && !standing.attested && !standing.forfeited)

                let silent = TrainingRun.evaluators[2].verifyingKey.address
                let forfeiting = try await client.get("/v1/tasks/1/rounds/1/members/\(silent)").decode(RoundStandingView.self)
                    .standing
                #expect(forfeiting.scoresCommitted && !forfeiting.scoresRevealed && forfeiting.forfeited)
                #expect(!forfeiting.selected && !forfeiting.updateCommitted)
                let evaluator = TrainingRun.evaluators[0].verifyingKey.address
                let attesting = try await client.get("/v1/tasks/1/rounds/1/members/\(evaluator)").decode(RoundStandingView.self)
                    .standing
                #expect(attesting.scoresRevealed && attesting.attested && !attesting.forfeited)

                let raw = try await client.get("/v1/tasks/1/rounds/2/members/\(trainer)").text
                for key in ["\"base_model\"", "\"update_committed\":false", "\"selected\":true", "\"scores_revealed\"",
                    "\"address\":\"deai1", "\"height\":", "\"task_id\":1"]
                {
                    #expect(raw.contains(key), "\(raw)")
                }
            }
        }
    }

    @Test("an open round has no verdicts yet and is pending")
    func pendingRound() async throws {
        try await TrainingRun.withTask(through: .firstRound) { node in
            try await node.app().test(.router) { client in
                let view = try await client.get("/v1/tasks/1/rounds/2").decode(RoundView.self)
                #expect(view.result == .pending)
                #expect(view.resultModel == nil)
                #expect(view.updates.isEmpty && view.scores.isEmpty && view.attestations.isEmpty)
                #expect(view.updateCommitments.isEmpty && view.forfeited.isEmpty)
                #expect(view.budget == 0 && view.earned == 0)
                #expect(view.baseModel == TrainingRun.aggregate && view.baseVersion == 1)
                #expect(view.baseParent == TrainingFixtures.spec().initialModel)
                let raw = try await client.get("/v1/tasks/1/rounds/2").text
                #expect(!raw.contains("result_model") && !raw.contains("proof"))
            }
        }
    }

    @Test("model versions: the list, one version with its lineage and proof, and by model hash")
    func modelVersions() async throws {
        try await TrainingRun.withTask(through: .firstRound) { node in
            try await node.app().test(.router) { client in
                let state = await node.chain.view.state
                let version = try #require(state.modelVersions[1]?[1])

                let list = try await client.get("/v1/tasks/1/models").decode(ModelVersionsView.self)
                #expect(list.taskID == 1)
                #expect(list.initialModel == TrainingFixtures.spec().initialModel)
                #expect(list.versions == [ModelVersionView(version)])
                #expect(list.versions[0].lineage == nil)

                let one = try await client.get("/v1/tasks/1/models/1?prove=true").decode(ModelVersionView.self)
                #expect(one.model == TrainingRun.aggregate)
                #expect(one.parent == TrainingFixtures.spec().initialModel)
                #expect(one.round == 1 && one.version == 1 && one.metricBasisPoints == 9_500)
                #expect(one.contributors.count == 2)
                #expect(one.attestedStake == 200 && one.evaluatorStake == 200)
                let lineage = try #require(one.lineage)
                #expect(lineage.round == 1 && lineage.result == .newVersion && lineage.height == nil)
                #expect(lineage.updates.filter { $0.verdict?.accepted == true }.map(\.contributor) == one.contributors)
                let proven = try Self.verify(try #require(one.proof), key: .modelVersion(taskID: 1, version: 1))
                #expect(try ModelVersion(canonicalEncoding: proven) == version)

                let byHash = try await client.get("/v1/models/\(TrainingRun.aggregate)").decode(ModelVersionView.self)
                #expect(byHash.taskID == 1 && byHash.version == 1 && byHash.lineage == lineage)
                #expect(byHash.proof == nil)
            }
        }
    }

    @Test("unknown tasks, rounds and versions are 404 not_found with a message; malformed ones are 400", arguments: [
        ("/v1/tasks/9", HTTPResponse.Status.notFound, UInt16(1001), "no training task 9"),
        ("/v1/tasks/abc", .badRequest, 1002, "task identifier"),
        ("/v1/tasks/1?prove=perhaps", .badRequest, 1003, "prove=perhaps"),
        ("/v1/tasks/9/rounds/1", .notFound, 1001, "no training task 9"),
        ("/v1/tasks/1/rounds/0", .notFound, 1001, "no round 0; its current round is 2"),
        ("/v1/tasks/1/rounds/3", .notFound, 1001, "no round 3"),
        ("/v1/tasks/1/rounds/4294967296", .badRequest, 1002, "round number"),
        ("/v1/tasks/1/rounds/-1", .badRequest, 1002, "round number"),
        ("/v1/tasks/1/rounds/3/receipts/\(TestNode.bob.verifyingKey.address)", .notFound, 1001, "no round 3"),
        ("/v1/tasks/1/rounds/1/receipts/deai1xyz", .badRequest, 1002, "bech32 address"),
        ("/v1/tasks/1/rounds/3/members/\(TestNode.bob.verifyingKey.address)", .notFound, 1001, "no round 3"),
        ("/v1/tasks/1/rounds/1/members/deai1xyz", .badRequest, 1002, "bech32 address"),
        ("/v1/tasks/9/models", .notFound, 1001, "no training task 9"),
        ("/v1/tasks/1/models/0", .notFound, 1001, "initial model"),
        ("/v1/tasks/1/models/2", .notFound, 1001, "latest version is 1"),
        ("/v1/tasks/1/models/x", .badRequest, 1002, "model version"),
        ("/v1/models/abc", .badRequest, 1002, "64 hex digits"),
        ("/v1/models/\(SHA256Digest(hashing: [1]))", .notFound, 1001, "no training task has agreed"),
        ("/v1/models/\(TrainingFixtures.spec().initialModel)", .notFound, 1001, "initial model of training task 1"),
    ])
    func notFound(_ path: String, _ status: HTTPResponse.Status, _ code: UInt16, _ message: String) async throws {
        try await TrainingRun.withTask(through: .firstRound) { node in
            try await node.app().test(.router) { client in
                let response = try await client.get(path)
                let name = [1001: "not_found", 1002: "bad_path", 1003: "bad_query"][code] ?? "?"
                try response.expectError(status, code: code, name: name)
                #expect(try response.decode(APIErrorBody.self).error.message.contains(message), "\(response.text)")
            }
        }
    }

    @Test("a round of a task still enrolling, and a version of a task without one, say so")
    func enrollingMessages() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                _ = try await client.submit(try TestNode.transaction(.createTask(TrainingFixtures.spec()), nonce: 0))
                try await node.produceBlock()
                let round = try await client.get("/v1/tasks/1/rounds/1").decode(APIErrorBody.self)
                #expect(round.error.message.contains("still enrolling"))
                let version = try await client.get("/v1/tasks/1/models/1").decode(APIErrorBody.self)
                #expect(version.error.message.contains("no version yet"))
                #expect(try await client.get("/v1/tasks/1/models").decode(ModelVersionsView.self).versions.isEmpty)
            }
        }
    }

    /// Checks `proof` against its header's state root and that it is about `key`.
    /// - Returns: the proven value bytes.
    static func verify(_ proof: AccountProofView, key: StateKey) throws -> [UInt8] {
        let header = try #require(proof.header).header
        #expect(header.hash == proof.blockHash)
        #expect(header.stateRoot == proof.stateRoot)
        #expect(proof.proof.key.bytes == key.bytes)
        return try #require(try proof.proof.stateProof.verify(against: header.stateRoot))
    }
}
