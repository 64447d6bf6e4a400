// APITests: the training payloads in JSON.

import APITypes
import DeAICore
import DeAITesting
import Foundation
import Ledger
import Testing

@Suite("PayloadView of the training payloads")
struct TrainingPayloadViewTests {
    private static let blob = SHA256Digest(hashing: [1])
    private static let salt = [UInt8](repeating: 10, count: RoundCommitment.saltLength)

    @Test("each training payload shows its fields in snake_case", arguments: [
        (
            Payload.joinTask(taskID: 3, role: .evaluator, stake: 250, dataCommitment: Self.blob),
            [#""role":"evaluator""#, #""stake":250"#, #""task_id":3"#, #""data_commitment":"\#(Self.blob)""#]
        ),
        (.joinTask(taskID: 3, role: .trainer, stake: 250, dataCommitment: nil), [#""role":"trainer""#]),
        (.leaveTask(taskID: 3), [#""task_id":3"#, #""type":"leave_task""#]),
        (
            .commitUpdate(taskID: 3, round: 2, commitment: Self.blob),
            [#""commitment":"\#(Self.blob)""#, #""round":2"#, #""type":"commit_update""#]
        ),
        (
            .revealUpdate(taskID: 3, round: 2, blob: Self.blob, sampleCount: 120, salt: Self.salt),
            [#""blob":"\#(Self.blob)""#, #""sample_count":120"#, #""salt":"\#(String(repeating: "0a", count: 32))""#]
        ),
        (.commitScores(taskID: 3, round: 2, commitment: Self.blob), [#""type":"commit_scores""#, #""commitment""#]),
        (
            .revealScores(
                taskID: 3, round: 2,
                assessments: [UpdateAssessment(score: -5, harm: 700, harmError: 40, excluded: true)], salt: Self.salt),
            [#""assessments":[{"excluded":true,"harm":700,"harm_error":40,"score":-5}]"#, #""salt":"0a0a"#]
        ),
        (
            .attestModel(taskID: 3, round: 2, model: Self.blob, metricBasisPoints: 9_100, improvement: -1_200,
                         improvementError: 300),
            [#""metric_basis_points":9100"#, #""model":"\#(Self.blob)""#, #""improvement":-1200"#,
             #""improvement_error":300"#]
        ),
    ])
    func fields(_ payload: Payload, _ expected: [String]) throws {
        let json = try Self.json(PayloadView(payload))
        for fragment in expected {
            #expect(json.contains(fragment), "\(json)")
        }
        #expect(json.contains(#""type":"\#(payload.kind)""#))
        #expect(try JSONDecoder().decode(PayloadView.self, from: Data(json.utf8)) == PayloadView(payload))
    }

    @Test("create_task nests the spec, which converts back to the ledger's")
    func createTask() throws {
        let spec = TrainingFixtures.spec()
        let view = PayloadView(.createTask(spec))
        #expect(view.spec?.spec == spec)
        let json = try Self.json(view)
        for key in [
            "\"reward_pool\":10000", "\"aggregation_rule\":\"fedavg\"", "participants_per_round", "initial_model",
            "evaluator_share_basis_points", "training_settings", "evaluation_settings", "\"reveal_blocks\":5",
            "\"reveal_deposit\":10", "\"minimum_evaluators\":1", "\"minimum_accepted\":1", "\"harm_tolerance\":0",
            "\"harm_confidence_hundredths\":300", "\"regression_tolerance\":0", "\"full_reward_improvement\":50000",
        ] {
            #expect(json.contains(key), "\(json)")
        }
        #expect(!json.contains("harmful_score"))
    }

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
