// APITypes: one member's standing in a round, in JSON.

public import Ledger

/// Where one member stands in a round (``Ledger/RoundStanding``, whose fields it carries at its top level): what a
/// participant checks before it acts in a phase, at a cost that does not grow with the round's other
/// participants.
public struct RoundStandingView: Codable, Sendable, Hashable {
    /// The standing.
    public var standing: RoundStanding
    /// The committed height the standing is read at.
    public var height: Height

    private enum CodingKeys: String, CodingKey {
        case height
    }

    /// The view of `standing`, read at `height`.
    public init(_ standing: RoundStanding, height: Height) {
        self.standing = standing
        self.height = height
    }

    public init(from decoder: any Decoder) throws {
        self.standing = try RoundStanding(from: decoder)
        self.height = try decoder.container(keyedBy: CodingKeys.self).decode(Height.self, forKey: .height)
    }

    public func encode(to encoder: any Encoder) throws {
        try self.standing.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.height, forKey: .height)
    }
}
