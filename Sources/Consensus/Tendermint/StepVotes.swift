// StepVotes: the prevotes or precommits of one round, counted by voting power.

public import DeAICore
public import Ledger

/// The votes of one step (prevote or precommit) of one round of a height: the power behind each block hash (and
/// behind `nil`), and the power of the validators that voted at all.
///
/// A validator that signs two different votes in a step (at most two are kept) counts for both blocks, as the
/// algorithm counts messages: with less than a third of the power equivocating, two blocks can still not both
/// gather more than two thirds, and honest validators that saw different first votes of the equivocator still
/// reach the same majorities once gossip has brought them every vote. The total counts each validator once.
///
/// Lookups only: no decision depends on a dictionary's order.
public struct StepVotes: Sendable {
    /// What adding a vote did.
    public enum Addition: Sendable, Equatable {
        /// The vote counts now.
        case added
        /// The validator had sent this very vote already, or two others in this step.
        case ignored
        /// The validator had voted otherwise in this step: the earlier vote, which the two prove equivocation with.
        /// Both count, each for its block.
        case conflicting(SignedVote)
    }

    /// The power of the validators that voted, whatever for, each counted once.
    public private(set) var power: Amount = 0
    private var first: [Address: SignedVote] = [:]
    private var second: Set<Address> = []
    private var byBlock: [SHA256Digest?: [Address: SignedVote]] = [:]
    private var powerByBlock: [SHA256Digest?: Amount] = [:]

    /// No votes yet.
    public init() {}

    /// Counts `vote` with `power` for its block.
    public mutating func add(_ vote: SignedVote, power: Amount) -> Addition {
        let validator = vote.vote.validator
        let blockHash = vote.vote.blockHash
        guard self.byBlock[blockHash]?[validator] == nil else { return .ignored }
        let earlier = self.first[validator]
        if earlier != nil {
            guard self.second.insert(validator).inserted else { return .ignored }
        } else {
            self.first[validator] = vote
            self.power &+= power
        }
        self.byBlock[blockHash, default: [:]][validator] = vote
        self.powerByBlock[blockHash, default: 0] &+= power
        return earlier.map { .conflicting($0) } ?? .added
    }

    /// The validators that voted, whatever for.
    public var voters: Set<Address> { Set(self.first.keys) }

    /// The power of the validators that voted for `blockHash` (`nil`: for no block).
    public func power(for blockHash: SHA256Digest?) -> Amount {
        self.powerByBlock[blockHash] ?? 0
    }

    /// The precommit signatures for `blockHash`, in validator-address order, as a ``Commit`` lists them.
    public func signatures(for blockHash: SHA256Digest) -> [CommitSignature] {
        (self.byBlock[blockHash] ?? [:]).values
            .sorted { $0.vote.validator < $1.vote.validator }
            .map { CommitSignature(validator: $0.vote.validator, signature: $0.signature) }
    }
}

extension ValidatorSet {
    /// Whether `power` is more than two thirds of the set's total power.
    public func isSupermajority(_ power: Amount) -> Bool {
        power.multipliedFullWidth(by: 3) > self.totalPower.multipliedFullWidth(by: 2)
    }

    /// Whether `power` is more than one third of the set's total power: at least one honest validator among them.
    public func exceedsOneThird(_ power: Amount) -> Bool {
        power.multipliedFullWidth(by: 3) > self.totalPower.multipliedFullWidth(by: 1)
    }
}
