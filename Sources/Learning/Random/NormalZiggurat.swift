// Standard normal deviates by the ziggurat method: one draw, a multiply and a comparison for 98.8 % of them.

import Foundation

/// The ziggurat of Marsaglia and Tsang ("The Ziggurat Method for Generating Random Variables", 2000) for the
/// standard normal: the area under the density is cut into 128 horizontal layers of equal area, the bottom one
/// ending in the tail beyond ``tailStart``. A deviate picks a layer and a point across it; a point left of the next
/// layer's edge is under the curve (98.8 % of draws), others are tested against the density (the wedges) or drawn
/// from the tail by Marsaglia's method. The result is exactly normal, as the polar or Box–Muller methods are, at
/// a few nanoseconds a deviate instead of twenty-five.
///
/// One 64-bit word of the generator gives the layer (bits 0–6), the sign (bit 7) and the position (the top 53
/// bits): independent bits, as Doornik ("An Improved Ziggurat Method to Generate Normal Random Samples", 2005)
/// advises, since the original reused the same bits for the layer and the position.
struct NormalZiggurat: Sendable {
    /// The table every sampler shares.
    static let shared = NormalZiggurat()

    /// Where the bottom layer's tail begins (r), for 128 layers.
    static let tailStart = 3.442619855899
    /// The area of each layer (v), for 128 layers.
    static let layerArea = 9.91256303526217e-3

    /// `edges[i]`: the right edge of layer i; `edges[0]` is the bottom layer's width as a rectangle of area v
    /// (tail included), `edges[128]` is 0.
    private let edges: [Double]
    /// `edges[i + 1] / edges[i]`: a point of layer i whose position is below it lies under the density.
    private let inside: [Double]
    /// `heights[i]` = exp(−edges[i]² / 2), the density at the edge (1 at `edges[128]`).
    private let heights: [Double]

    private init() {
        let (r, v) = (Self.tailStart, Self.layerArea)
        let density = { (x: Double) in exp(-0.5 * x * x) }
        var edges = [v / density(r), r]
        for _ in 2..<128 {
            let previous = edges[edges.count - 1]
            edges.append((-2 * log(v / previous + density(previous))).squareRoot())
        }
        edges.append(0)
        self.edges = edges
        self.inside = (0..<128).map { edges[$0 + 1] / edges[$0] }
        self.heights = edges.map(density)
    }

    /// One standard normal deviate from `generator`.
    @inline(__always)
    func sample(using generator: inout some RandomNumberGenerator) -> Double {
        while true {
            let bits = generator.next()
            let layer = Int(truncatingIfNeeded: bits & 127)
            let position = Double(bits >> 11) * 0x1p-53
            let sign: Double = bits & 128 == 0 ? 1 : -1
            let x = position * self.edges[layer]
            if position < self.inside[layer] { return sign * x }
            if layer == 0 { return sign * Self.tail(using: &generator) }
            // A wedge: a height drawn across the layer, kept when under the density.
            let height = self.heights[layer] + generator.nextUnitDouble() * (self.heights[layer + 1] - self.heights[layer])
            if height < exp(-0.5 * x * x) { return sign * x }
        }
    }

    /// A deviate from the tail beyond r (Marsaglia 1964): r + a, a = −log(u₁) / r, kept when −2·log(u₂) ≥ a².
    private static func tail(using generator: inout some RandomNumberGenerator) -> Double {
        while true {
            let a = -log(1 - generator.nextUnitDouble()) / Self.tailStart
            let b = -log(1 - generator.nextUnitDouble())
            if 2 * b >= a * a { return Self.tailStart + a }
        }
    }
}

extension RandomNumberGenerator {
    /// A standard normal deviate, by the ziggurat method (``NormalZiggurat``); the same stream gives the same
    /// deviates on every platform.
    public mutating func nextGaussian() -> Double {
        NormalZiggurat.shared.sample(using: &self)
    }

    /// A double uniform in [0, 1) from the top 53 bits of one draw.
    mutating func nextUnitDouble() -> Double {
        Double(self.next() >> 11) * 0x1p-53
    }
}
