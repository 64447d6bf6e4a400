// APITests: the training payloads in JSON.

import API
import DeAICore
import DeAITesting
import Foundation
import Ledger
import Testing

@Suite("PayloadView of the training payloads")
struct TrainingPayloadViewTests {
    private static let blob = SHA256Digest(hashing: [1])

    @Test("each training payload shows its fields in snake_case", arguments: [
        (
            Payload.joinTask(taskID: 3, role: .evaluator, stake: 250),
            [#""role":"evaluator""#, #""stake":250"#, #""task_id":3"#]
        ),
        (.leaveTask(taskID: 3), [#""task_id":3"#, #""type":"leave_task""#]),
        (
            .submitUpdate(taskID: 3, round: 2, blob: Self.blob, sampleCount: 120),
            [#""blob":"\#(Self.blob)""#, #""round":2"#, #""sample_count":120"#]
        ),
        (.submitScores(taskID: 3, round: 2, scores: [-5, 0, 7]), [#""scores":[-5,0,7]"#, #""type":"submit_scores""#]),
        (
            .attestModel(taskID: 3, round: 2, model: Self.blob, metricBasisPoints: 9_100),
            [#""metric_basis_points":9100"#, #""model":"\#(Self.blob)""#]
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
            "evaluator_share_basis_points", "harmful_score\":-1000", "training_settings", "evaluation_settings",
        ] {
            #expect(json.contains(key), "\(json)")
        }
    }

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
