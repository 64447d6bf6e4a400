// API: a training round in JSON, with everything needed to audit it.

public import DeAICore
public import Ledger

/// One round of a task: who was selected, what they submitted and how each update was judged, the evaluators'
/// scores and payouts, their attestations, and how the round ended. With `?prove=true`, a proof of its state entry
/// (`StateKey.round(taskID:number:)`, whose value decodes with `TrainingRound(canonicalEncoding:)`).
public struct RoundView: Codable, Sendable, Hashable {
    /// A trainer's update, with its verdict once scoring closed.
    public struct UpdateView: Codable, Sendable, Hashable {
        /// The trainer.
        public var contributor: Address
        /// The blob hash of the encoded update.
        public var blob: SHA256Digest
        /// The samples behind it: its weight in the aggregate.
        public var sampleCount: UInt64
        /// The height of the block that carried it.
        public var height: Height
        /// How it was judged; absent until the scoring phase closes.
        public var verdict: VerdictView?

        private enum CodingKeys: String, CodingKey {
            case contributor, blob, height, verdict, sampleCount = "sample_count"
        }
    }

    /// How an update was judged.
    public struct VerdictView: Codable, Sendable, Hashable {
        /// The stake-weighted median of the evaluators' scores, in micro-units.
        public var consensusScore: Int64
        /// Whether the update is in the aggregate.
        public var accepted: Bool
        /// Whether it was judged harmful and its contributor slashed.
        public var harmful: Bool
        /// Tokens paid to the contributor.
        public var reward: Amount
        /// Stake slashed from the contributor.
        public var slashed: Amount

        private enum CodingKeys: String, CodingKey {
            case accepted, harmful, reward, slashed, consensusScore = "consensus_score"
        }
    }

    /// One evaluator's scores, one per update in update order.
    public struct ScoresView: Codable, Sendable, Hashable {
        /// The evaluator.
        public var evaluator: Address
        /// Scores in micro-units: negative harmful, zero worthless, positive useful.
        public var scores: [Int64]
    }

    /// What an evaluator was paid.
    public struct PayoutView: Codable, Sendable, Hashable {
        /// The evaluator.
        public var evaluator: Address
        /// Share of its scores judged the same way as the consensus, in basis points.
        public var agreementBasisPoints: UInt16
        /// Tokens paid.
        public var reward: Amount

        private enum CodingKeys: String, CodingKey {
            case evaluator, reward, agreementBasisPoints = "agreement_basis_points"
        }
    }

    /// One evaluator's attestation of the aggregate.
    public struct AttestationView: Codable, Sendable, Hashable {
        /// The evaluator.
        public var evaluator: Address
        /// The next model's blob hash as the evaluator computed it.
        public var model: SHA256Digest
        /// Its accuracy on the evaluator's held-out data, in basis points.
        public var metricBasisPoints: UInt16

        private enum CodingKeys: String, CodingKey {
            case evaluator, model, metricBasisPoints = "metric_basis_points"
        }
    }

    /// The task.
    public var taskID: UInt64
    /// The round number, from 1.
    public var round: UInt32
    /// The height of the block at whose end the round opened.
    public var openedHeight: Height
    /// The model the round trains from.
    public var baseModel: SHA256Digest
    /// Its version number.
    public var baseVersion: UInt32
    /// The selected trainers, by address.
    public var selected: [Address]
    /// The updates, by contributor address: the order of scores and of aggregation.
    public var updates: [UpdateView]
    /// Selected trainers whose submission repeated an update already posted this round: kept out, unpaid.
    public var copies: [Address]
    /// Every evaluator's scores, by evaluator address.
    public var scores: [ScoresView]
    /// What evaluators were paid, by evaluator address.
    public var evaluatorPayouts: [PayoutView]
    /// Every attestation, by evaluator address.
    public var attestations: [AttestationView]
    /// `pending`, `new_version`, `no_updates`, `no_scores`, `none_accepted` or `no_quorum`.
    public var result: RoundResult
    /// The new model's blob hash when ``result`` is `new_version`.
    public var resultModel: SHA256Digest?
    /// The committed height the round is read at; absent when the round is embedded in a model version.
    public var height: Height?
    /// The proof of the round's entry, when asked for.
    public var proof: AccountProofView?

    private enum CodingKeys: String, CodingKey {
        case round, selected, updates, copies, scores, attestations, result, height, proof
        case taskID = "task_id", openedHeight = "opened_height", baseModel = "base_model"
        case baseVersion = "base_version", evaluatorPayouts = "evaluator_payouts", resultModel = "result_model"
    }

    /// The view of `round`, read at `height` (`nil` when embedded), with `proof` when given.
    public init(_ round: TrainingRound, height: Height?, proof: AccountProofView? = nil) {
        self.taskID = round.taskID
        self.round = round.number
        self.openedHeight = round.openedHeight
        self.baseModel = round.baseModel
        self.baseVersion = round.baseVersion
        self.selected = round.selected
        self.updates = round.updates.enumerated().map { index, update in
            let verdict = index < round.verdicts.count ? round.verdicts[index] : nil
            return UpdateView(
                contributor: update.contributor, blob: update.blob, sampleCount: update.sampleCount,
                height: update.height, verdict: verdict.map(VerdictView.init)
            )
        }
        self.copies = round.copies
        self.scores = round.scores.map { ScoresView(evaluator: $0.evaluator, scores: $0.scores) }
        self.evaluatorPayouts = round.evaluatorPayouts.map {
            PayoutView(evaluator: $0.evaluator, agreementBasisPoints: $0.agreementBasisPoints, reward: $0.reward)
        }
        self.attestations = round.attestations.map {
            AttestationView(evaluator: $0.evaluator, model: $0.model, metricBasisPoints: $0.metricBasisPoints)
        }
        self.result = round.result
        self.resultModel = round.resultModel
        self.height = height
        self.proof = proof
    }
}

// MARK: - Verdicts

extension RoundView.VerdictView {
    /// The view of `verdict`.
    init(_ verdict: UpdateVerdict) {
        self.consensusScore = verdict.consensusScore
        self.accepted = verdict.accepted
        self.harmful = verdict.harmful
        self.reward = verdict.reward
        self.slashed = verdict.slashed
    }
}
