// ProposerRotation: which validator proposes at a height and round, weighted by power, from the set alone.

import DeAICore
public import Ledger

extension ValidatorSet {
    /// The validator that proposes the block of `height` in `round`: a rotation in which each validator proposes
    /// in proportion to its power, evenly spread over heights.
    ///
    /// Slot `k = height + round` is a point of the Weyl sequence `k × φ⁻¹ mod 1` (φ the golden ratio, in 64-bit
    /// fixed point), scaled to the total power; the proposer is the member whose stretch of the power line, in
    /// address order, holds it. By the three-distance theorem the points spread as evenly as any sequence can, so a
    /// validator with a quarter of the power proposes about every fourth height, never in long runs; over many
    /// heights the shares converge to the powers. The rotation needs nothing but the set, the height and the
    /// round, so every node, a node reopening its database, and a light client compute the same proposer without
    /// stored priorities. The next round of a height moves to the next slot: a silent proposer is skipped.
    ///
    /// Determinism: integer arithmetic only. `nil` for an empty set.
    /// - Complexity: O(n) for n members.
    public func proposer(height: Height, round: UInt32) -> Member? {
        let total = self.totalPower
        guard total > 0 else { return nil }
        let slot = height &+ UInt64(round)
        let fraction = slot &* Self.inverseGoldenRatio
        // `fraction / 2⁶⁴ × total`, rounded down: the high word of the full product.
        var point = fraction.multipliedFullWidth(by: total).high
        for member in self.members {
            if point < member.power { return member }
            point -= member.power
        }
        return self.members.last
    }

    /// `2⁶⁴ / φ`, rounded to odd: the step of the Weyl sequence.
    static let inverseGoldenRatio: UInt64 = 0x9E37_79B9_7F4A_7C15
}
