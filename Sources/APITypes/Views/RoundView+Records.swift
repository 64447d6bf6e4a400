// APITypes: the records inside a round's JSON: commitments, updates, verdicts, scores, payouts and attestations.

public import DeAICore
public import Ledger

extension RoundView {
    /// A member's commitment: the hash that binds what it reveals later.
    public struct CommitmentView: Codable, Sendable, Hashable {
        /// The trainer or evaluator.
        public var member: Address
        /// The commitment hash.
        public var hash: SHA256Digest

        init(_ commitment: Commitment) {
            self.member = commitment.member
            self.hash = commitment.hash
        }
    }

    /// A revealed update, with its verdict once the scores were judged.
    public struct UpdateView: Codable, Sendable, Hashable {
        /// The trainer.
        public var contributor: Address
        /// The blob hash of the encoded update.
        public var blob: SHA256Digest
        /// The samples the trainer says it trained on: shown, never weighed (in the aggregate or in pay).
        public var sampleCount: UInt64
        /// The height of the block that revealed it.
        public var height: Height
        /// How it was judged; absent until the scores are revealed and judged.
        public var verdict: VerdictView?
        /// In a task with differential privacy: the ε the trainer has spent with this update revealed (the chain's
        /// integer accounting, rounded up to millionths); absent otherwise.
        public var epsilonSpent: Double?

        private enum CodingKeys: String, CodingKey {
            case contributor, blob, height, verdict, sampleCount = "sample_count", epsilonSpent = "epsilon_spent"
        }

        init(_ update: UpdateSubmission, verdict: UpdateVerdict?) {
            self.contributor = update.contributor
            self.blob = update.blob
            self.sampleCount = update.sampleCount
            self.height = update.height
            self.verdict = verdict.map(VerdictView.init)
            self.epsilonSpent = update.epsilonMillionths.map { Double($0) / 1e6 }
        }
    }

    /// How an update was judged and paid.
    public struct VerdictView: Codable, Sendable, Hashable {
        /// The weighted median of the evaluators' scores, in micro-nats.
        public var consensusScore: Int64
        /// The weighted median of the evaluators' evidence of harm, in micro-nats.
        public var evidence: Int64
        /// Whether evaluators holding more than half of the weight excluded it for an anomaly.
        public var excluded: Bool
        /// Whether its evidence exceeded the task's harm tolerance, and its contributor was slashed.
        public var harmful: Bool
        /// Whether it is in the aggregate: neither harmful nor excluded.
        public var accepted: Bool
        /// Tokens paid to the contributor.
        public var reward: Amount
        /// Stake slashed from the contributor.
        public var slashed: Amount

        private enum CodingKeys: String, CodingKey {
            case evidence, excluded, accepted, harmful, reward, slashed, consensusScore = "consensus_score"
        }

        init(_ verdict: UpdateVerdict) {
            self.consensusScore = verdict.consensusScore
            self.evidence = verdict.evidence
            self.excluded = verdict.excluded
            self.harmful = verdict.harmful
            self.accepted = verdict.accepted
            self.reward = verdict.reward
            self.slashed = verdict.slashed
        }
    }

    /// One evaluator's revealed assessments, one per update in update order.
    public struct ScoresView: Codable, Sendable, Hashable {
        /// The evaluator.
        public var evaluator: Address
        /// Its weight in the round's medians (its stake, the largest capped so that it decides no median alone);
        /// absent until the scores are judged.
        public var weight: Amount?
        /// Its assessments.
        public var assessments: [AssessmentView]

        init(_ scores: EvaluatorScores, weight: Amount?) {
            self.evaluator = scores.evaluator
            self.weight = weight
            self.assessments = scores.assessments.map(AssessmentView.init)
        }
    }

    /// What an evaluator was paid.
    public struct PayoutView: Codable, Sendable, Hashable {
        /// The evaluator.
        public var evaluator: Address
        /// Its weight in the round's medians.
        public var weight: Amount
        /// Share of its judgements that match the consensus, in basis points.
        public var agreementBasisPoints: UInt16
        /// Tokens paid.
        public var reward: Amount

        private enum CodingKeys: String, CodingKey {
            case evaluator, weight, reward, agreementBasisPoints = "agreement_basis_points"
        }

        init(_ payout: EvaluatorPayout) {
            self.evaluator = payout.evaluator
            self.weight = payout.weight
            self.agreementBasisPoints = payout.agreementBasisPoints
            self.reward = payout.reward
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
        /// How much lower its validation loss is than its parent's on that data, in micro-nats (negative: worse).
        public var improvement: Int64
        /// The standard error of ``improvement``, in micro-nats.
        public var improvementError: Int64

        private enum CodingKeys: String, CodingKey {
            case evaluator, model, improvement, metricBasisPoints = "metric_basis_points"
            case improvementError = "improvement_error"
        }

        init(_ attestation: ModelAttestation) {
            self.evaluator = attestation.evaluator
            self.model = attestation.model
            self.metricBasisPoints = attestation.metricBasisPoints
            self.improvement = attestation.improvement
            self.improvementError = attestation.improvementError
        }
    }
}
