// APITests: a member's receipt for a training round, read from a round driven through the chain.

import APITypes
import Consensus
import DeAICore
import DeAITesting
import HTTPTypes
import HummingbirdTesting
import Ledger
import Testing

@Suite("GET /v1/tasks/{id}/rounds/{n}/receipts/{address}")
struct ReceiptRoutesTests {
    /// Round 1's `earned` formula (see ``TrainingRun``).
    private static let earned =
        "earned = min(budget 5000, pool 10000 × improvement 31000 / (rounds 2 × 50000)) = 3100"

    @Test("an accepted contributor: its update, every assessment, the verdict, the round's pay and its formula")
    func contributor() async throws {
        try await TrainingRun.withTask(through: .firstRound) { node in
            try await node.app().test(.router) { client in
                let round = try #require(await node.chain.view.state.rounds[1]?[1])
                let address = round.updates[0].contributor
                let path = "/v1/tasks/1/rounds/1/receipts/\(address)"
                let receipt = try await client.get(path + "?prove=true").decode(RoundReceiptView.self)
                #expect(receipt.taskID == 1 && receipt.round == 1 && receipt.address == address)
                #expect(receipt.result == .newVersion && receipt.evaluator == nil)
                let pay = receipt.pay
                #expect(pay.budget == 5_000 && pay.improvement == 31_000 && pay.fullRewardImprovement == 50_000)
                #expect(pay.rewardPool == 10_000 && pay.rounds == 2)
                #expect(pay.earned == 3_100 && pay.evaluatorShareBasisPoints == 2_000 && pay.formula == Self.earned)
                #expect(pay.contributorsPart == 2_480 && pay.evaluatorsPart == 620 && pay.paid == 3_100)
                #expect(pay.positiveScores == 4_000 && pay.evaluatorShares == 200)

                let part = try #require(receipt.contributor)
                #expect(part.selected && part.revealed && !part.copy && !part.forfeited)
                #expect(part.commitment == round.updateCommitments.first { $0.member == address }?.hash)
                #expect(part.update?.blob == TrainingRun.blob(of: address) && part.update?.sampleCount == 100)
                #expect(part.assessments.map(\.evaluator) == round.scores.map(\.evaluator))
                #expect(part.assessments.allSatisfy { $0.contributor == address && $0.score == 3_000 })
                #expect(part.assessments.allSatisfy { $0.harm == -500 && $0.harmError == 100 && $0.evidence == -800 })
                #expect(part.assessments.map(\.weight) == round.weights.map(Optional.some))
                #expect(part.consensusScore == 3_000 && part.evidence == -800)
                #expect(part.harmTolerance == 0 && part.harmConfidenceHundredths == 300)
                #expect(part.verdict == "accepted" && part.slash == nil && part.reward == 1_860)
                #expect(
                    part.formula
                        == Self.earned + "; contributors' part = earned − 20% = 2480; "
                        + "reward = 2480 × score 3000 / Σ positive scores 4000 = 1860")
                let proven = try TaskRoutesTests.verify(try #require(receipt.proof), key: .round(taskID: 1, number: 1))
                #expect(try TrainingRound(canonicalEncoding: proven) == round)

                let raw = try await client.get(path).text
                for key in ["\"full_reward_improvement\":50000", "\"contributors_part\":2480",
                    "\"positive_scores\":4000", "\"harm_confidence_hundredths\":300", "\"verdict\":\"accepted\"",
                    "\"reveal_deposit\":10", "\"consensus_score\":3000", "\"harm_error\":100"]
                {
                    #expect(raw.contains(key), "\(raw)")
                }
                #expect(!raw.contains("\"proof\"") && !raw.contains("\"evaluator\":{"))
            }
        }
    }

    @Test("a slashed contributor: the evidence over the tolerance, the share and the amount slashed, no reward")
    func slashedContributor() async throws {
        try await TrainingRun.withTask(through: .firstRound) { node in
            try await node.app().test(.router) { client in
                let state = await node.chain.view.state
                let address = try #require(state.rounds[1]?[1]?.updates.last?.contributor)
                let receipt = try await client.get("/v1/tasks/1/rounds/1/receipts/\(address)")
                    .decode(RoundReceiptView.self)
                let part = try #require(receipt.contributor)
                #expect(part.verdict == "harmful" && part.reward == 0 && part.evidence == 47_000)
                #expect(part.assessments.allSatisfy { $0.evidence == 47_000 && $0.score == -2_000 })
                let slash = try #require(part.slash)
                #expect(slash.amount == 100 && slash.slashBasisPoints == 5_000 && slash.evidence == 47_000)
                #expect(slash.amount == state.taskMembers[1]?[address]?.slashed)
                #expect(slash.reason.contains("evidence of harm 47000"), "\(slash.reason)")
                #expect(slash.reason.contains("exceeds the harm tolerance 0: 50% of the stake, 100, was slashed"))
                #expect(part.formula == "reward = 0: the update was judged harmful")
            }
        }
    }

    @Test("an evaluator: its data commitment, weight, assessments, attestation, agreement, and its pay's formula")
    func evaluator() async throws {
        try await TrainingRun.withTask(through: .firstRound) { node in
            try await node.app().test(.router) { client in
                let round = try #require(await node.chain.view.state.rounds[1]?[1])
                let address = TrainingRun.evaluators[0].verifyingKey.address
                let receipt = try await client.get("/v1/tasks/1/rounds/1/receipts/\(address)")
                    .decode(RoundReceiptView.self)
                #expect(receipt.contributor == nil)
                let part = try #require(receipt.evaluator)
                #expect(part.dataCommitment == TrainingRun.dataCommitment(of: address))
                #expect(part.commitment == round.scoreCommitments.first { $0.member == address }?.hash)
                #expect(part.revealed && !part.forfeited && part.weight == 100)
                #expect(part.assessments.map(\.contributor) == round.updates.map(\.contributor))
                #expect(part.assessments.map(\.evidence) == [-800, -500, 47_000])
                #expect(part.assessments.allSatisfy { $0.evaluator == address && $0.weight == 100 })
                #expect(part.attestation?.model == TrainingRun.aggregate && part.attestation?.improvement == 31_000)
                #expect(part.attestedResult == true)
                #expect(part.agreementBasisPoints == 10_000 && part.share == 100 && part.reward == 310)
                #expect(
                    part.formula
                        == Self.earned + "; evaluators' part = earned × 20% = 620; "
                        + "share = weight 100 × agreement 100% = 100; reward = 620 × share 100 / Σ shares 200 = 310")
            }
        }
    }

    @Test("an evaluator that committed and did not reveal forfeited its deposit and is paid nothing")
    func forfeitingEvaluator() async throws {
        try await TrainingRun.withTask(through: .firstRound) { node in
            try await node.app().test(.router) { client in
                let address = TrainingRun.evaluators[2].verifyingKey.address
                let receipt = try await client.get("/v1/tasks/1/rounds/1/receipts/\(address)")
                    .decode(RoundReceiptView.self)
                let part = try #require(receipt.evaluator)
                #expect(part.commitment != nil && !part.revealed && part.forfeited && part.revealDeposit == 10)
                #expect(part.weight == nil && part.assessments.isEmpty && part.attestation == nil)
                #expect(part.attestedResult == false && part.agreementBasisPoints == nil && part.reward == 0)
                #expect(part.formula.contains("did not reveal them in time; forfeited the reveal deposit 10"))
            }
        }
    }

    @Test("a trainer selected in the open round has a receipt that says nothing is committed yet")
    func pendingRound() async throws {
        try await TrainingRun.withTask(through: .firstRound) { node in
            try await node.app().test(.router) { client in
                let address = try #require(await node.chain.view.state.rounds[1]?[2]?.selected.first)
                let receipt = try await client.get("/v1/tasks/1/rounds/2/receipts/\(address)")
                    .decode(RoundReceiptView.self)
                #expect(receipt.result == .pending && receipt.pay.earned == 0 && receipt.pay.budget == 0)
                #expect(receipt.pay.formula.hasPrefix("earned = 0: the round is still running"))
                let part = try #require(receipt.contributor)
                #expect(part.selected && part.commitment == nil && !part.revealed && part.verdict == nil)
                #expect(part.formula == "reward = 0: selected, but committed no update yet")
            }
        }
    }

    @Test("an address that took no part in the round is a 404 not_in_round")
    func nonMember() async throws {
        try await TrainingRun.withTask(through: .firstRound) { node in
            try await node.app().test(.router) { client in
                let bob = TestNode.bob.verifyingKey.address
                let response = try await client.get("/v1/tasks/1/rounds/1/receipts/\(bob)")
                try response.expectError(.notFound, code: 1006, name: "not_in_round")
                let message = try response.decode(APIErrorBody.self).error.message
                #expect(message.contains("\(bob) took no part in round 1 of training task 1"), "\(message)")
                // An evaluator of the task has done nothing yet in round 2.
                let evaluator = TrainingRun.evaluators[0].verifyingKey.address
                try await client.get("/v1/tasks/1/rounds/2/receipts/\(evaluator)")
                    .expectError(.notFound, code: 1006, name: "not_in_round")
            }
        }
    }
}
