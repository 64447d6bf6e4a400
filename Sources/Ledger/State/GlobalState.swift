// Chain-wide counters and balances that belong to no account.

public import DeAICore

/// Chain-wide values: the treasury, the supply, counters for identifiers, and the last applied block.
public struct GlobalState: Sendable, Hashable, Codable {
    /// Tokens held by the treasury, spent only by passed proposals.
    public var treasury: Amount = 0
    /// All tokens in existence: balances, bonded, unbonding, deposits and treasury.
    public var totalSupply: Amount = 0
    /// The identifier the next proposal gets.
    public var nextProposalID: UInt64 = 1
    /// The identifier the next unbonding entry gets.
    public var nextUnbondingID: UInt64 = 1
    /// The identifier the next training task gets.
    public var nextTaskID: UInt64 = 1
    /// The identifier the next payment channel gets.
    public var nextChannelID: UInt64 = 1
    /// The height of the last block applied to the state (0 at genesis).
    public var height: Height = 0
    /// The time of the last block applied, in milliseconds since 1970 (the genesis time at genesis).
    public var blockTime: UInt64 = 0

    /// Globals at their genesis values.
    public init() {}
}

extension GlobalState: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.treasury)
        encoder.encode(self.totalSupply)
        encoder.encode(self.nextProposalID)
        encoder.encode(self.nextUnbondingID)
        encoder.encode(self.nextTaskID)
        encoder.encode(self.nextChannelID)
        encoder.encode(self.height)
        encoder.encode(self.blockTime)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.treasury = try decoder.decodeUInt64()
        self.totalSupply = try decoder.decodeUInt64()
        self.nextProposalID = try decoder.decodeUInt64()
        self.nextUnbondingID = try decoder.decodeUInt64()
        self.nextTaskID = try decoder.decodeUInt64()
        self.nextChannelID = try decoder.decodeUInt64()
        self.height = try decoder.decodeUInt64()
        self.blockTime = try decoder.decodeUInt64()
    }
}
