// Tests of FixedOrderMath: accuracy against Foundation over a sweep of every binade, and the edge cases.

import Foundation
import Learning
import Testing

@Suite("Fixed-order math")
struct FixedOrderMathTests {
    /// A function, its reference and its bound.
    private typealias Function = (mine: @Sendable (Float) -> Float, reference: @Sendable (Double) -> Double, ulps: Int)

    /// The functions, each with its reference (Foundation in Double, rounded to Float) and its bound in ulp.
    private static let functions: [String: Function] = [
        "exp": (FixedOrderMath.exp, { Foundation.exp($0) }, 1),
        "tanh": (FixedOrderMath.tanh, { Foundation.tanh($0) }, 2),
        "sigmoid": (FixedOrderMath.sigmoid, { 1 / (1 + Foundation.exp(-$0)) }, 2),
        "erf": (FixedOrderMath.erf, { Foundation.erf($0) }, 1),
    ]

    /// Every 65 521st bit pattern (a prime stride, so every binade and many mantissas of both signs), and 20 001
    /// points evenly spread over [−12, 12], where the functions change most.
    private static let sweep: [Float] =
        stride(from: UInt64(0), to: 1 << 32, by: 65_521).map { Float(bitPattern: UInt32($0)) }.filter { !$0.isNaN }
        + (0...20_000).map { Float(-12 + 24 * Double($0) / 20_000) }

    /// The distance in representable floats between `a` and `b` (0 for two NaNs).
    private static func ulps(_ a: Float, _ b: Float) -> Int {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : .max }
        func ordered(_ x: Float) -> Int64 {
            let bits = Int64(Int32(bitPattern: x.bitPattern))
            return bits < 0 ? Int64(Int32.min) - bits : bits
        }
        return Int((ordered(a) - ordered(b)).magnitude)
    }

    @Test("within a few ulp of Foundation (in Double, rounded to Float)", arguments: ["exp", "tanh", "sigmoid", "erf"])
    func accuracy(name: String) throws {
        let function = try #require(Self.functions[name])
        var worst = (ulps: 0, x: Float(0))
        for x in Self.sweep {
            let distance = Self.ulps(function.mine(x), Float(function.reference(Double(x))))
            if distance > worst.ulps { worst = (distance, x) }
        }
        #expect(worst.ulps <= function.ulps, "\(name)(\(worst.x)) is \(worst.ulps) ulp off")
    }

    @Test("exp: overflow, underflow into subnormals and to 0, infinities and NaN")
    func expEdges() {
        #expect(FixedOrderMath.exp(0) == 1)
        #expect(Self.ulps(FixedOrderMath.exp(88.72), Foundation.exp(88.72)) <= 1)
        #expect(FixedOrderMath.exp(88.73) == .infinity)
        #expect(FixedOrderMath.exp(1000) == .infinity)
        #expect(FixedOrderMath.exp(.infinity) == .infinity)
        #expect(Self.ulps(FixedOrderMath.exp(-100), Foundation.exp(-100)) <= 1 && FixedOrderMath.exp(-100).isSubnormal)
        #expect(FixedOrderMath.exp(-103.9) == .leastNonzeroMagnitude)
        #expect(FixedOrderMath.exp(-104) == 0)
        #expect(FixedOrderMath.exp(-.infinity) == 0)
        #expect(FixedOrderMath.exp(.nan).isNaN)
    }

    @Test("tanh, sigmoid and erf: signed zeros, saturation, infinities and NaN")
    func otherEdges() {
        for function in [FixedOrderMath.tanh, FixedOrderMath.erf] {
            #expect(function(0).bitPattern == Float(0).bitPattern)
            #expect(function(-0.0).bitPattern == Float(-0.0).bitPattern)
            #expect(function(.infinity) == 1 && function(-.infinity) == -1)
            #expect(function(30) == 1 && function(-30) == -1)
            #expect(function(.nan).isNaN)
        }
        #expect(FixedOrderMath.tanh(1e-30) == 1e-30)
        #expect(FixedOrderMath.sigmoid(0) == 0.5)
        #expect(FixedOrderMath.sigmoid(.infinity) == 1 && FixedOrderMath.sigmoid(-.infinity) == 0)
        #expect(FixedOrderMath.sigmoid(200) == 1 && FixedOrderMath.sigmoid(-200) == 0)
        #expect(FixedOrderMath.sigmoid(.nan).isNaN)
    }
}
