// `deai task create`: the sponsor publishes the initial model and posts the task with its reward pool.

import APITypes
import ArgumentParser
import DeAICore
import Federation
import Foundation
import Learning
import Ledger
import Node
import Participants

/// `deai task create --from NAME --features N [--model logreg|mlp|cnn1d|FILE.json] [--rounds R] …`
///
/// Builds the model (a built-in architecture sized by `--features` and `--classes`, or a JSON `ModelSpec`),
/// initializes it with `--seed`, publishes the weights as a blob on the node (`PUT /v1/blobs/{hash}`), posts the
/// `create_task` transaction (which escrows `--reward-pool` from the sender), waits for its block and prints the
/// new task's identifier.
struct TaskCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Post a training task: publish the initial model, escrow the reward pool, print the task's id.",
        discussion: "The transaction is always waited for (--wait is implied): the task's id is known only then."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var transaction: TransactionOptions

    @Option(help: "A short name for people") var name: String = "training task"
    @Option(help: "A built-in model (logreg, mlp, cnn1d) or a ModelSpec .json file") var model: String = "logreg"
    @Option(help: "Features per sample (required by the built-in models)") var features: Int?
    @Option(help: "Classes of the target") var classes: Int = 2
    @Option(help: "Hidden units of the built-in mlp") var hidden: Int = 32
    @Option(help: "Seed of the initial weights and of the evaluators' sampling") var seed: UInt64 = 0
    @Option(help: "What the data must look like, for data owners, in words (default: from --features and --classes)")
    var schema: String?
    @Option(help: "A reference CSV table whose columns, categories, classes and statistics become the task's data schema (sets --features and --classes)")
    var schemaFrom: String?
    @Option(help: "The class column of --schema-from (default: its last column)") var target: String?
    @Option(help: "A column of --schema-from to leave out of the schema (repeat for several)") var drop: [String] = []

    @Option(help: "Rounds to run") var rounds: UInt32 = 5
    @Option(help: "Trainers selected per round") var participants: UInt32 = 10
    @Option(help: "Blocks to wait for members before round 1") var enrollmentBlocks: UInt32 = 10
    @Option(help: "Longest phase in which selected trainers commit to their updates, in blocks")
    var updateBlocks: UInt32 = 100
    @Option(help: "Longest phase in which evaluators commit to their scores, in blocks") var scoreBlocks: UInt32 = 100
    @Option(help: "Longest reveal phase (of updates, then of scores), in blocks") var revealBlocks: UInt32 = 100
    @Option(help: "Longest attestation phase, in blocks") var attestBlocks: UInt32 = 100
    @Option(help: "Tokens escrowed for rewards, paid round by round") var rewardPool: UInt64 = 100_000
    @Option(help: "Aggregation rule: \(TaskSpec.aggregationRules.joined(separator: ", "))") var rule: String = "fedavg"
    @Option(help: "Smallest stake of a member") var minStake: UInt64 = 1_000
    @Option(help: "Stake burned from a member that commits and does not reveal (default: a tenth of --min-stake)")
    var revealDeposit: UInt64?
    @Option(help: "Evaluators whose revealed scores a round needs; round 1 waits for this many to join")
    var minEvaluators: UInt32 = 3
    @Option(help: "Accepted updates a new model version needs; with fewer the model stays") var minAccepted: UInt32 = 1
    @Option(name: .customLong("evaluator-share-bp"), help: "Evaluators' share of each round's reward, basis points")
    var evaluatorShareBasisPoints: UInt16 = 2_000
    @Option(name: .customLong("slash-bp"), help: "Share of a harmful contributor's stake slashed, basis points")
    var slashBasisPoints: UInt16 = 5_000
    @Option(help: "Evidence of harm (micro-nats of validation loss) an update may show before it is harmful")
    var harmTolerance: Int64 = 0
    @Option(help: "Standard errors, in hundredths, taken off each measured harm to make evidence (300: 3σ)")
    var harmConfidence: UInt16 = 300
    @Option(help: "How much worse than its parent (micro-nats) a new model may be before the round fails")
    var regressionTolerance: Int64 = 0
    @Option(help: "Standard errors, in hundredths, a regression must exceed the tolerance by (0: any measured excess)")
    var regressionConfidence: UInt16 = 0
    @Option(help: "Improvement (micro-nats) worth --reward-pool / --rounds: the pay rate, up to a round's budget")
    var fullRewardImprovement: Int64 = 50_000

    @Option(help: "Local epochs per round (unless --local-steps is given)") var epochs: Int = 5
    @Option(help: "Local optimizer steps (mini-batches) per round, whatever a data owner's data size")
    var localSteps: Int?
    @Option(help: "Local mini-batch size") var batch: Int = 32
    @Option(help: "Local learning rate") var lr: Float = 0.02
    @Option(help: "Local optimizer: sgd, adam or adamw") var optimizer: String = "sgd"
    @Option(help: "SGD momentum") var momentum: Float = 0.9
    @Option(help: "Server momentum of the aggregate step (FedAvgM), in [0, 1)") var serverMomentum: Double = 0
    @Option(help: "Server learning rate of the aggregate step, in (0, 10]") var serverLearningRate: Double = 1
    @Option(help: "Owners train with DP-SGD within a per-owner budget over the task: epsilon=E,delta=D[,q=Q][,clip=C]")
    var dp: String?
    @Option(help: "The noise multiplier of --dp (default: the least that keeps every owner within the budget for every round)")
    var dpSigma: Double?
    @Flag(help: "Trainers seal their updates to the evaluators' keys (HPKE): the blob store holds only ciphertext (implied by --dp)")
    var sealedUpdates = false

    func validate() throws {
        if self.schemaFrom != nil {
            guard self.schema == nil, self.features == nil else {
                throw ValidationError("--schema-from sets the schema and the features; leave out --schema and --features")
            }
        } else if self.target != nil || !self.drop.isEmpty {
            throw ValidationError("--target and --drop name columns of --schema-from; give --schema-from too")
        } else if !self.model.hasSuffix(".json") {
            guard let features = self.features, features > 0 else {
                throw ValidationError("--features (a positive count) is required with the built-in model \(self.model)")
            }
        }
        do {
            try ServerOptimizer(learningRate: self.serverLearningRate, momentum: self.serverMomentum).validate()
        } catch {
            throw ValidationError("\(error)")
        }
        if let steps = self.localSteps, steps < 1 { throw ValidationError("--local-steps must be at least 1") }
        guard self.classes > 0, self.hidden > 0 else {
            throw ValidationError("--classes and --hidden must be positive")
        }
        guard self.epochs > 0, self.batch > 0, self.lr > 0 else {
            throw ValidationError("--epochs, --batch and --lr must be positive")
        }
        guard OptimizerSpec.Kind(rawValue: self.optimizer) != nil else {
            throw ValidationError("--optimizer must be sgd, adam or adamw")
        }
        if self.dpSigma != nil, self.dp == nil { throw ValidationError("--dp-sigma sets the noise of --dp; give --dp too") }
        if let dp = self.dp { _ = try PrivacyTarget(parsing: dp) }
    }

    func run() async throws {
        let schema = try self.schemaFrom.map { try TableSchemaFile(path: $0, target: self.target, drop: self.drop) }
        let spec = try self.modelSpec(schema: schema?.preparation)
        let weights = try Model(spec: spec, seed: self.seed).flatParameters
        let blob = ModelBlobs.modelBlob(weights)
        let taskSpec = try self.taskSpec(model: spec, initialModel: blob.hash, schema: schema)
        let submission = try await TransactionSender(global: self.global, options: self.transaction)
            .submit(.createTask(taskSpec), wait: true)
        guard let receipt = submission.result.receipt else {
            throw CLIError(
                "create_task \(submission.hash) was not committed in time; "
                    + "check later with `deai query tx \(submission.hash)` and `deai query tasks`"
            )
        }
        guard receipt.success else {
            throw CLIError(
                "create_task \(submission.hash) failed in block \(receipt.height): "
                    + "code \(receipt.code): \(receipt.message)"
            )
        }
        // Published once the task names them: a node stores a blob its chain names for anyone.
        let node = self.transaction.node
        if let schema { _ = try await node.call { try await $0.putBlob(schema.blob) } }
        _ = try await node.call { try await $0.putBlob(blob.bytes) }
        let taskID = try await self.createdTask(taskSpec, sponsor: submission.sender, height: receipt.height)
        let created = CreatedTask(
            taskID: taskID, hash: submission.hash, height: receipt.height, initialModel: blob.hash,
            parameters: weights.count, dataSchema: taskSpec.dataSchema,
            privacy: taskSpec.privacy.map { CreatedTask.Privacy($0, rounds: taskSpec.rounds) }
        )
        try Output.emit(created, json: self.global.json) { created in
            [
                "task \(created.taskID) created in block \(created.height) (create_task \(created.hash))",
                "initial model \(created.initialModel) (\(self.model), \(created.parameters) parameters)",
            ] + (schema.map { ["data schema \(created.dataSchema): \($0.summary)"] } ?? [])
                + (created.privacy.map { [$0.sentence] } ?? [])
        }
    }

    // MARK: - Building the task

    /// The model named by `--model`: a JSON `ModelSpec` file, or a built-in architecture sized by the schema (or
    /// by `--features` and `--classes`).
    /// - Throws: a `CLIError` for a spec that cannot be read, or whose inputs differ from the schema's.
    private func modelSpec(schema: TablePreparation?) throws -> ModelSpec {
        guard self.model.hasSuffix(".json") else {
            do {
                return try ModelSpec.builtin(
                    self.model, features: schema?.inputWidth ?? self.features ?? 0,
                    classes: schema?.target.classes.count ?? self.classes, hidden: self.hidden
                )
            } catch {
                throw ValidationError("\(error)")
            }
        }
        let path = (self.model as NSString).expandingTildeInPath
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read the model spec \(path)")
        }
        let spec: ModelSpec
        do {
            spec = try JSONDecoder().decode(ModelSpec.self, from: data)
        } catch {
            throw CLIError("the model spec \(path) is not the JSON of a ModelSpec: \(error)")
        }
        if let schema, spec.inputShape.reduce(1, *) != schema.inputWidth {
            throw CLIError("the model spec \(path) takes \(spec.inputShape) inputs; the schema makes \(schema.inputWidth)")
        }
        return spec
    }

    /// The privacy terms of `--dp`, for owners who train `training`: with `--dp-sigma`'s noise, else the least
    /// noise that keeps every owner within the budget for every round.
    private func privacyTerms(for training: LocalTrainingConfiguration) throws -> PrivacyTerms? {
        try self.dp.map { try PrivacyTarget(parsing: $0).terms(for: training, rounds: Int(self.rounds), sigma: self.dpSigma) }
    }

    /// The task's terms, checked as the chain will check them.
    private func taskSpec(model: ModelSpec, initialModel: SHA256Digest, schema: TableSchemaFile?) throws -> TaskSpec {
        let training = LocalTrainingConfiguration(
            epochs: self.epochs, steps: self.localSteps, batchSize: self.batch,
            optimizer: OptimizerSpec(
                kind: OptimizerSpec.Kind(rawValue: self.optimizer) ?? .sgd, learningRate: self.lr,
                momentum: self.momentum
            )
        )
        let documents = try TaskSettings.documents(
            model: model, training: training,
            evaluation: EvaluationSettings(
                seed: self.seed,
                server: ServerOptimizer(learningRate: self.serverLearningRate, momentum: self.serverMomentum))
        )
        let features = model.inputShape.reduce(1, *)
        let spec = TaskSpec(
            name: self.name, modelSpec: documents.model,
            dataSchema: schema.map { TaskSpec.dataSchema(naming: $0.hash) } ?? self.schema
                ?? "CSV: \(features) numeric features, then the target (classes 0–\(self.classes - 1))",
            initialModel: initialModel, rounds: self.rounds, participantsPerRound: self.participants,
            enrollmentBlocks: self.enrollmentBlocks, updateBlocks: self.updateBlocks, scoreBlocks: self.scoreBlocks,
            revealBlocks: self.revealBlocks, attestBlocks: self.attestBlocks, rewardPool: self.rewardPool,
            aggregationRule: self.rule, minimumStake: self.minStake,
            evaluatorShareBasisPoints: self.evaluatorShareBasisPoints, slashBasisPoints: self.slashBasisPoints,
            revealDeposit: self.revealDeposit ?? self.minStake / 10, minimumEvaluators: self.minEvaluators,
            minimumAccepted: self.minAccepted, harmTolerance: self.harmTolerance,
            harmConfidenceHundredths: self.harmConfidence, regressionTolerance: self.regressionTolerance,
            regressionConfidenceHundredths: self.regressionConfidence,
            fullRewardImprovement: self.fullRewardImprovement, trainingSettings: documents.training,
            evaluationSettings: documents.evaluation, privacy: try self.privacyTerms(for: training),
            sealedUpdates: self.sealedUpdates || self.dp != nil
        )
        do {
            try spec.validate()
        } catch {
            throw CLIError("the task is not valid: \(error)")
        }
        return spec
    }

    /// The identifier of the task `sponsor` posted with `spec` in the block at `height`.
    private func createdTask(_ spec: TaskSpec, sponsor: Address, height: Height) async throws -> UInt64 {
        let node = self.transaction.node
        let candidates = try await node.call { try await $0.tasks() }.tasks.filter { $0.sponsor == sponsor }
        for candidate in candidates.reversed() {
            let task = try await node.call { try await $0.task(candidate.id) }
            if task.createdHeight == height, task.spec.spec == spec { return task.id }
        }
        throw CLIError("the task was created in block \(height) but is not listed; see `deai query tasks`")
    }
}

/// What `deai task create` prints.
struct CreatedTask: Encodable {
    var taskID: UInt64
    var hash: SHA256Digest
    var height: Height
    var initialModel: SHA256Digest
    var parameters: Int
    var dataSchema: String
    var privacy: Privacy?

    private enum CodingKeys: String, CodingKey {
        case taskID = "task_id", hash, height
        case initialModel = "initial_model", parameters
        case dataSchema = "data_schema", privacy
    }

    /// The differential privacy of a task posted with `--dp`: the noise and how many rounds an owner can publish.
    struct Privacy: Encodable {
        var noiseMultiplier: Double
        var samplingRate: Double
        var stepsPerRound: UInt32
        var epsilon: Double
        var delta: Double
        var roundsWithinBudget: UInt32

        private enum CodingKeys: String, CodingKey {
            case epsilon, delta, noiseMultiplier = "noise_multiplier", samplingRate = "sampling_rate"
            case stepsPerRound = "steps_per_round", roundsWithinBudget = "rounds_within_budget"
        }

        init(_ terms: PrivacyTerms, rounds: UInt32) {
            self.noiseMultiplier = terms.noiseMultiplier
            self.samplingRate = terms.samplingRate
            self.stepsPerRound = terms.stepsPerRound
            self.epsilon = terms.epsilon
            self.delta = terms.delta
            self.roundsWithinBudget = terms.affordableRounds(limit: rounds)
        }

        var sentence: String {
            "DP-SGD: σ = \(self.noiseMultiplier), q = \(self.samplingRate), \(self.stepsPerRound) steps a round; "
                + "each owner may publish \(self.roundsWithinBudget) rounds within ε = \(self.epsilon), δ = \(self.delta)"
        }
    }
}
