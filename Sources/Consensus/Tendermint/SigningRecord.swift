// SigningRecord: the last proposal or vote a validator signed, so that it never signs a conflicting one.

public import DeAICore
public import Ledger

/// What a validator signed last: the height, round and step, and the block (or nothing) it signed for. A validator
/// signs only what comes after it, or exactly it again; anything else could be a double-sign, and is refused.
///
/// The node keeps the record on disk and makes it durable before a signed message leaves (as CometBFT keeps
/// `priv_validator_state.json`), so that a node that crashed, or whose database was lost, still refuses.
///
/// ```swift
/// var record = SigningRecord()
/// guard case .sign = record.check(vote) else { return }
/// record.recordVote(vote)          // make it durable, then sign and send
/// ```
public struct SigningRecord: Sendable, Hashable, Codable {
    /// The step of a signed message, in the order they come within a round.
    public enum Step: UInt8, Sendable, Hashable, Codable, Comparable {
        case proposal = 1
        case prevote = 2
        case precommit = 3

        public static func < (lhs: Step, rhs: Step) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Whether a message may be signed.
    public enum Verdict: Sendable, Equatable {
        /// It comes after everything signed so far.
        case sign
        /// It is exactly what was signed last: sending that again is safe.
        case repeatLast
        /// It conflicts with what was signed, or comes before it.
        case refuse(reason: String)

        /// Whether the message may be signed: it is new, or exactly the last one again.
        public var allowsSigning: Bool {
            if case .refuse = self { false } else { true }
        }
    }

    /// The height of the last signed message; 0 before any.
    public private(set) var height: Height = 0
    /// Its round.
    public private(set) var round: UInt32 = 0
    /// Its step; `nil` before any.
    public private(set) var step: Step?
    /// The block it was for; `nil` for a vote for nothing.
    public private(set) var blockHash: SHA256Digest?
    /// The consensus key that signed it; `nil` before any (and in records written before the key was kept). A node
    /// whose key file no longer holds this key was given another validator's key, and must not sign.
    public var signer: VerifyingKey?

    /// A record of nothing signed.
    public init() {}

    /// Whether a message of `step` at `height` and `round` for `blockHash` may be signed.
    public func check(height: Height, round: UInt32, step: Step, blockHash: SHA256Digest?) -> Verdict {
        guard let last = self.step else { return .sign }
        let position = (height, round, step.rawValue)
        let lastPosition = (self.height, self.round, last.rawValue)
        if position > lastPosition { return .sign }
        if position == lastPosition {
            return blockHash == self.blockHash
                ? .repeatLast
                : .refuse(reason: "already signed \(Self.describe(last)) at height \(height), round \(round) for another block")
        }
        return .refuse(reason: "already signed \(Self.describe(last)) at height \(self.height), round \(self.round), past \(Self.describe(step)) at height \(height), round \(round)")
    }

    /// ``check(height:round:step:blockHash:)`` for `vote`.
    public func check(_ vote: Vote) -> Verdict {
        self.check(height: vote.height, round: vote.round, step: Step(vote.kind), blockHash: vote.blockHash)
    }

    /// ``check(height:round:step:blockHash:)`` for `proposal`.
    public func check(_ proposal: BlockProposal) -> Verdict {
        self.check(height: proposal.height, round: proposal.round, step: .proposal, blockHash: proposal.block.hash)
    }

    /// Records `vote` as the last signed message.
    public mutating func record(_ vote: Vote) {
        self.record(height: vote.height, round: vote.round, step: Step(vote.kind), blockHash: vote.blockHash)
    }

    /// Records `proposal` as the last signed message.
    public mutating func record(_ proposal: BlockProposal) {
        self.record(height: proposal.height, round: proposal.round, step: .proposal, blockHash: proposal.block.hash)
    }

    private mutating func record(height: Height, round: UInt32, step: Step, blockHash: SHA256Digest?) {
        self.height = height
        self.round = round
        self.step = step
        self.blockHash = blockHash
    }

    private static func describe(_ step: Step) -> String {
        switch step {
        case .proposal: "a proposal"
        case .prevote: "a prevote"
        case .precommit: "a precommit"
        }
    }
}

extension SigningRecord.Step {
    /// The step of a vote of `kind`.
    init(_ kind: Vote.Kind) {
        switch kind {
        case .prevote: self = .prevote
        case .precommit: self = .precommit
        }
    }
}
