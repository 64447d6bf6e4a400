// The task's JSON documents, decoded: model, local training and evaluation settings.

public import Federation
import Foundation
public import Ledger
public import Learning

/// What a participant reads from a task's spec before it trains or evaluates.
public struct TaskSettings: Sendable {
    /// The model architecture.
    public var model: ModelSpec
    /// How data owners train each round (the seed is replaced per participant and round).
    public var training: LocalTrainingConfiguration
    /// How evaluators score updates.
    public var evaluation: EvaluationSettings
    /// The aggregation rule.
    public var rule: AggregationRule

    /// Decodes the settings of `spec`; with ``Ledger/TaskSpec/privacy``, owners train with its DP-SGD and steps.
    /// - Throws: ``ParticipantError/invalidTaskSettings(taskID:reason:)`` naming the document that does not decode,
    ///   or the order at which the task's declared privacy accounting is below this node's accountant.
    public init(_ spec: TaskSpec, taskID: UInt64) throws(ParticipantError) {
        func decode<T: Decodable>(_ type: T.Type, _ json: String, _ name: String) throws(ParticipantError) -> T {
            do {
                return try JSONDecoder().decode(type, from: Data(json.utf8))
            } catch {
                throw .invalidTaskSettings(taskID: taskID, reason: "\(name) does not decode: \(error)")
            }
        }
        self.model = try decode(ModelSpec.self, spec.modelSpec, "model spec")
        self.training = try decode(LocalTrainingConfiguration.self, spec.trainingSettings, "training settings")
        if let terms = spec.privacy {
            // The chain's terms are what the budget is accounted for: train exactly with them, and never for a
            // task whose declared accounting counts less than the mechanism spends.
            if let problem = terms.accountingProblem() {
                throw .invalidTaskSettings(taskID: taskID, reason: "its privacy accounting cannot be trusted: \(problem)")
            }
            self.training.privacy = terms.mechanism
            self.training.steps = Int(terms.stepsPerRound)
        }
        self.evaluation = try decode(EvaluationSettings.self, spec.evaluationSettings, "evaluation settings")
        guard let rule = AggregationRule(rawValue: spec.aggregationRule) else {
            throw .invalidTaskSettings(taskID: taskID, reason: "unknown aggregation rule \(spec.aggregationRule)")
        }
        self.rule = rule
    }

    /// The JSON documents a sponsor puts into a ``Ledger/TaskSpec``.
    public static func documents(
        model: ModelSpec, training: LocalTrainingConfiguration, evaluation: EvaluationSettings
    ) throws -> (model: String, training: String, evaluation: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func text(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        return (try text(model), try text(training), try text(evaluation))
    }
}
