// The integer arithmetic that settles a round: weights, medians, judgements, earnings, agreement, selection.

public import DeAICore

/// The pure, integer-only functions behind a round's settlement, shared by the rules and by anyone auditing them.
///
/// Nothing here reads a clock or a random source or depends on dictionary order: the same inputs give the same
/// result on every node.
public enum RoundSettlement {
    /// The lower weighted median of `entries`: the smallest score at which the weights of all scores up to it
    /// reach half of the total weight. Entries of weight zero count only when all weights are zero.
    public static func weightedMedian(_ entries: [(score: Int64, weight: Amount)]) -> Int64 {
        precondition(!entries.isEmpty, "a weighted median needs at least one entry")
        let sorted = entries.sorted { $0.score < $1.score }
        let total = sorted.reduce(UInt128(0)) { $0 + UInt128($1.weight) }
        guard total > 0 else { return sorted[(sorted.count - 1) / 2].score }
        var cumulative: UInt128 = 0
        for entry in sorted {
            cumulative += UInt128(entry.weight)
            if cumulative * 2 >= total { return entry.score }
        }
        return sorted[sorted.count - 1].score
    }

    /// The evaluators' weights in a round's medians: their stakes, except that the largest is capped at the sum
    /// of the others less one, so that with three or more evaluators no single one holds half of the weight and
    /// decides a median alone; with two, at the other's stake, so that neither outweighs the other.
    public static func cappedWeights(_ stakes: [Amount]) -> [Amount] {
        guard stakes.count >= 2, let largest = stakes.indices.max(by: { stakes[$0] < stakes[$1] }) else { return stakes }
        let others = stakes.indices.filter { $0 != largest }.reduce(Amount(0)) { $0 &+ stakes[$1] }
        var weights = stakes
        weights[largest] = min(stakes[largest], stakes.count == 2 ? others : max(others, 2) - 1)
        return weights
    }

    /// What the panel's assessments of one update amount to.
    public struct Judgement: Sendable, Hashable {
        /// The weighted lower median of the scores.
        public var score: Int64
        /// The weighted lower median of the evidence of harm.
        public var evidence: Int64
        /// Whether evaluators holding more than half of the weight excluded the update.
        public var excluded: Bool
        /// Whether the evidence exceeds the tolerance.
        public var harmful: Bool
    }

    /// Judges one update from the panel's assessments (in panel order) and weights. Harmful means that the model
    /// measurably gets worse with the update beyond the evaluators' sample noise: the weighted lower median of
    /// `harm − z × standard error` exceeds `harmTolerance`. Norm and direction checks (`excluded`) keep an update
    /// out of the aggregate and out of pay, never make it harmful.
    public static func judge(
        _ assessments: [UpdateAssessment], weights: [Amount], harmTolerance: Int64, confidenceHundredths: UInt16
    ) -> Judgement {
        let score = self.weightedMedian(zip(assessments, weights).map { (score: $0.0.score, weight: $0.1) })
        let evidence = self.weightedMedian(
            zip(assessments, weights).map {
                (score: $0.0.evidence(confidenceHundredths: confidenceHundredths), weight: $0.1)
            })
        let excluded = self.weightedMedian(zip(assessments, weights).map { (score: $0.0.excluded ? 1 : 0, weight: $0.1) })
        return Judgement(score: score, evidence: evidence, excluded: excluded == 1, harmful: evidence > harmTolerance)
    }

    /// Each contributor's consensus scores summed over the task's rounds before `number`.
    public static func scoreTotals(before number: UInt32, in rounds: [UInt32: TrainingRound]) -> [Address: Int64] {
        var totals: [Address: Int64] = [:]
        for earlier in 1..<max(number, 1) {
            guard let round = rounds[earlier] else { continue }
            for (update, verdict) in zip(round.updates, round.verdicts) {
                totals[update.contributor, default: 0] &+= verdict.consensusScore
            }
        }
        return totals
    }

    /// Whether attested figures are evidence that a round's model is worse than its parent: the improvement plus
    /// `confidenceHundredths / 100` standard errors is still below `−tolerance`: the model is worse beyond the
    /// task's tolerance and beyond that much of the measurement's noise. Exact in integers.
    ///
    /// With tolerance 0 and a confidence of 300 hundredths: an improvement of −40 ± 10 micro-nats is a regression
    /// (−40 + 30 < 0); −20 ± 10 is not (−20 + 30 = 10). With confidence 0 any improvement below `−tolerance` is.
    public static func regressed(improvement: Int64, error: Int64, tolerance: Int64, confidenceHundredths: UInt16)
        -> Bool
    {
        Int128(improvement) * 100 + Int128(error) * Int128(confidenceHundredths) < -Int128(tolerance) * 100
    }

    /// The standard error of a panel's improvement: the attesters' `medianError` over √`attesters`, rounded to
    /// the nearest micro-nat (halves away from zero). Evaluators measure on disjoint held-out sets, so the panel
    /// together measures on about `attesters` times the data of one. Deterministic on every CPU: one division and
    /// one square root, both correctly rounded `Double` operations on integers below 2^53.
    ///
    /// With a median error of 2,310 from 3 attesters: 2,310 / √3 = 1,333.68…, so 1,334.
    public static func panelError(_ medianError: Int64, attesters: Int) -> Int64 {
        guard attesters > 1 else { return medianError }
        return Int64((Double(medianError) / Double(attesters).squareRoot()).rounded())
    }

    /// What a round earns for `improvement` micro-nats: the task's fixed rate — its pool spread over its rounds at
    /// `fullRewardImprovement` each, `rewardPool / (rounds × fullRewardImprovement)` tokens per micro-nat — times
    /// the improvement, at most `budget` (the escrow left divided by the rounds left, so that unearned budget
    /// carries over as headroom); nothing without an improvement. Every micro-nat of improvement is worth the
    /// same in every round, until a round's budget caps it.
    public static func earned(
        budget: Amount, improvement: Int64, rewardPool: Amount, rounds: UInt32, fullRewardImprovement: Int64
    ) -> Amount {
        guard improvement > 0, fullRewardImprovement > 0, rounds > 0 else { return 0 }
        let numerator = UInt128(rewardPool) * UInt128(UInt64(improvement))
        let denominator = UInt128(rounds) * UInt128(UInt64(fullRewardImprovement))
        let atRate = numerator / denominator
        return atRate >= UInt128(budget) ? budget : Amount(atRate)
    }

    /// How an evaluator's judgement of an update is classed when its agreement with the consensus is counted.
    enum Side: Equatable {
        case harmful, excluded, paid, unpaid
    }

    /// The share of an evaluator's judgements that match the consensus, in basis points: for each update, on which
    /// side it puts it (harmful, excluded, paid, unpaid), and whether it attested the agreed model with the
    /// consensus's view of its improvement.
    public static func agreementBasisPoints(
        _ assessments: [UpdateAssessment], verdicts: [UpdateVerdict], attestedAgreedModel: Bool, harmTolerance: Int64,
        confidenceHundredths: UInt16
    ) -> UInt16 {
        guard assessments.count == verdicts.count else { return 0 }
        let matching = zip(assessments, verdicts).filter { assessment, verdict in
            let own: Side =
                assessment.evidence(confidenceHundredths: confidenceHundredths) > harmTolerance
                ? .harmful : assessment.excluded ? .excluded : assessment.score > 0 ? .paid : .unpaid
            let consensus: Side =
                verdict.harmful ? .harmful : verdict.excluded ? .excluded : verdict.consensusScore > 0 ? .paid : .unpaid
            return own == consensus
        }.count + (attestedAgreedModel ? 1 : 0)
        return UInt16(matching * 10_000 / (verdicts.count + 1))
    }

    /// Picks `count` of `eligible` (all of them when there are fewer) by a partial Fisher–Yates shuffle driven by
    /// SHA-256 of `seed` in counter mode, and returns them sorted.
    ///
    /// - Parameter eligible: candidates in a fixed (sorted) order.
    public static func select(_ count: Int, from eligible: [Address], seed: SHA256Digest) -> [Address] {
        guard count < eligible.count else { return eligible.sorted() }
        var pool = eligible
        var stream = HashStream(seed: seed)
        for index in 0..<count {
            let pick = index + Int(stream.uniform(below: UInt64(pool.count - index)))
            pool.swapAt(index, pick)
        }
        return pool[0..<count].sorted()
    }

    /// The selection seed of round `round` of task `taskID`, from the previous block's hash.
    public static func selectionSeed(previousBlockHash: SHA256Digest, taskID: UInt64, round: UInt32) -> SHA256Digest {
        var encoder = CanonicalEncoder()
        encoder.encode(fixedBytes: previousBlockHash.bytes)
        encoder.encode(taskID)
        encoder.encode(round)
        return SHA256Digest(domain: "deai/round-selection", hashing: encoder.bytes)
    }
}

/// Uniform integers from SHA-256 in counter mode.
struct HashStream {
    private let seed: [UInt8]
    private var counter: UInt64 = 0
    private var buffer: [UInt64] = []

    init(seed: SHA256Digest) {
        self.seed = seed.bytes
    }

    mutating func next() -> UInt64 {
        if self.buffer.isEmpty {
            var encoder = CanonicalEncoder()
            encoder.encode(fixedBytes: self.seed)
            encoder.encode(self.counter)
            self.counter += 1
            let bytes = SHA256Digest(domain: "deai/hash-stream", hashing: encoder.bytes).bytes
            self.buffer = (0..<4).map { word in
                bytes[(word * 8)..<(word * 8 + 8)].reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
            }
        }
        return self.buffer.removeLast()
    }

    /// A uniform integer in `0..<bound`, by rejection (no modulo bias).
    mutating func uniform(below bound: UInt64) -> UInt64 {
        precondition(bound > 0)
        let threshold = (0 &- bound) % bound
        while true {
            let value = self.next()
            if value >= threshold { return value % bound }
        }
    }
}
