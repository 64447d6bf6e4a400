// The stake an inference server puts behind its answers.

public import DeAICore

/// What an inference server has bonded behind the answers it signs.
///
/// Clients open channels only to servers bonded at least `minimum_server_bond`. A receipt that proves a forged
/// answer (``ForgeryEvidence``) slashes `forgery_slash_basis_points` of the bond and of what is unbonding, pays
/// the reporter its share, and marks the server ``punished`` for good: it takes no new channel, and its clients
/// may close theirs at once.
public struct ServerBond: Sendable, Hashable, Codable {
    /// Tokens bonded now.
    public var bonded: Amount
    /// Tokens on their way back: still slashable until ``unbondingCompletes``.
    public var unbonding: Amount
    /// The height at the end of which ``unbonding`` returns to the server's balance.
    public var unbondingCompletes: Height
    /// Whether a forged answer was proven against the server.
    public var punished: Bool

    /// A bond with every field given.
    public init(bonded: Amount = 0, unbonding: Amount = 0, unbondingCompletes: Height = 0, punished: Bool = false) {
        self.bonded = bonded
        self.unbonding = unbonding
        self.unbondingCompletes = unbondingCompletes
        self.punished = punished
    }
}

extension ServerBond: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.bonded)
        encoder.encode(self.unbonding)
        encoder.encode(self.unbondingCompletes)
        encoder.encode(self.punished)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.bonded = try decoder.decodeUInt64()
        self.unbonding = try decoder.decodeUInt64()
        self.unbondingCompletes = try decoder.decodeUInt64()
        self.punished = try decoder.decodeBool()
    }
}
