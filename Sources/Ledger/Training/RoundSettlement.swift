// The integer arithmetic that settles a round: consensus scores, agreement, selection.

public import DeAICore

/// The pure, integer-only functions behind a round's settlement, shared by the rules and by anyone auditing them.
///
/// Nothing here reads a clock or a random source or depends on dictionary order: the same inputs give the same
/// result on every node.
public enum RoundSettlement {
    /// How an update is judged: harmful (excluded, slashed), worthless (excluded) or useful (accepted, paid).
    public enum Judgement: Int, Sendable {
        case harmful = -1
        case worthless = 0
        case useful = 1

        /// The judgement of `score` given the task's harmful threshold.
        public init(score: Int64, harmfulBelow threshold: Int64) {
            if score < threshold {
                self = .harmful
            } else if score > 0 {
                self = .useful
            } else {
                self = .worthless
            }
        }
    }

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

    /// The share of `scores` judged the same way as `consensus` (harmful, worthless or useful), in basis points.
    public static func agreementBasisPoints(_ scores: [Int64], consensus: [Int64], harmfulBelow threshold: Int64) -> UInt16 {
        guard !consensus.isEmpty, scores.count == consensus.count else { return 0 }
        let agreeing = zip(scores, consensus).filter {
            Judgement(score: $0.0, harmfulBelow: threshold) == Judgement(score: $0.1, harmfulBelow: threshold)
        }.count
        return UInt16(agreeing * 10_000 / consensus.count)
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
