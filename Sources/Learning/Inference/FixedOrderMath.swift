// FixedOrderMath: exp, tanh, sigmoid and erf from +, −, ×, ÷ and bit manipulation, the same bits on every CPU.

/// Transcendental functions of `Float` built only from IEEE 754 +, −, ×, ÷ and exponent-bit manipulation, each
/// in a fixed order of operations, so they return the same bits on every CPU (x86-64 with or without AVX-512 or
/// FMA, arm64) — which libm's `expf`, `tanhf` and `erff` do not promise.
///
/// They are for numbers that several nodes must agree on bit for bit, such as the outputs of a
/// ``FixedOrderNetwork``. Each is within a few units in the last place (ulp) of the exact value (the tests
/// measure it against Foundation's over a sweep of every binade), and:
/// - NaN in gives NaN out;
/// - `exp` overflows to `+infinity` above ln(`Float.greatestFiniteMagnitude`) ≈ 88.72, rounds to subnormals and
///   then to 0 below ≈ −87.3, with `exp(−infinity) = 0`;
/// - `tanh` and `erf` are odd (their sign follows the input's, zeros included) and reach ±1 exactly for large |x|;
/// - `sigmoid` never overflows, with `sigmoid(−infinity) = 0`, `sigmoid(+infinity) = 1`.
///
/// Determinism assumes the default floating-point environment (round to nearest, subnormals not flushed), which
/// Swift programs run in on every supported platform. The polynomials are truncated Taylor series (`exp`) or
/// Chebyshev fits made for this file (`erf`: `mpmath.chebyfit(f, interval, degree + 1)` at 40 digits), with
/// coefficients rounded to the nearest `Float`.
public enum FixedOrderMath {
    /// e^x.
    ///
    /// x = n·ln 2 + r with n = round(x / ln 2) and |r| ≤ ln 2 / 2 (Cody–Waite: ln 2 split in a 16-bit head whose
    /// product with n is exact, and a tail); e^r from its Taylor polynomial of degree 7 (error ≤ 0.1 ulp); the
    /// result scaled by 2ⁿ through the exponent bits, in two exact steps where 2ⁿ is not a normal `Float`.
    /// - Complexity: O(1): about 20 operations.
    public static func exp(_ x: Float) -> Float {
        guard !x.isNaN else { return x }
        if x > 89 { return .infinity }
        if x < -104 { return 0 }
        let (n, r) = self.reduce(x)
        let y = 1 + (r + r * r * self.taylorTail(r))
        return self.scale(y, byPowerOfTwo: n)
    }

    /// The hyperbolic tangent.
    ///
    /// tanh |x| = E / (E + 2) with E = e^(2|x|) − 1 computed without cancellation (its Taylor polynomial near 0,
    /// else 2ⁿ·(e^r − 1) + (2ⁿ − 1) after the reduction of ``exp(_:)``), the sign restored at the end; ±1 for
    /// |x| > 10, where `Float`'s tanh is 1.
    /// - Complexity: O(1).
    public static func tanh(_ x: Float) -> Float {
        guard !x.isNaN else { return x }
        let magnitude = x.magnitude
        let result: Float
        if magnitude > 10 {
            result = 1
        } else {
            let e = self.expMinusOne(2 * magnitude)
            result = e / (e + 2)
        }
        return x.sign == .minus ? -result : result
    }

    /// The logistic function 1 / (1 + e^−x), as `e^x / (1 + e^x)` for negative x so that e^x never overflows.
    /// - Complexity: O(1).
    public static func sigmoid(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + self.exp(-x)) }
        let e = self.exp(x)
        return e / (1 + e)
    }

    /// The error function, 2/√π ∫₀ˣ e^(−t²) dt.
    ///
    /// - |x| < 1: x + x·R(x²), R of degree 6 fitted to erf(√t)/√t − 1 on [0, 1] (error 1.3·10⁻⁹; adding x
    ///   itself keeps the leading 2/√π = 1 + 0.128… more precise than one `Float`);
    /// - 1 ≤ |x| < 4: 1 − e^(−x²)·G(|x|), G fitted to e^(x²)·erfc(x) on [1, 2.25) (degree 8) and [2.25, 4)
    ///   (degree 7) in the variable x minus the interval's middle;
    /// - |x| ≥ 4: ±1, where `Float`'s erf is 1.
    /// - Complexity: O(1).
    public static func erf(_ x: Float) -> Float {
        guard !x.isNaN else { return x }
        let a = x.magnitude
        let result: Float
        if a < 1 {
            return x + x * self.horner(x * x, Self.erfSmall)
        } else if a < 2.25 {
            result = 1 - self.exp(-(a * a)) * self.horner(a - 1.625, Self.erfcScaledLow)
        } else if a < 4 {
            result = 1 - self.exp(-(a * a)) * self.horner(a - 3.125, Self.erfcScaledHigh)
        } else {
            result = 1
        }
        return x.sign == .minus ? -result : result
    }

    /// e^x − 1, accurate (relative error of a few ulp) also where it is close to 0.
    ///
    /// For |x| ≤ ln 2 / 2 the Taylor polynomial x + x²·T(x) itself; otherwise, with x = n·ln 2 + r as in
    /// ``exp(_:)``, 2ⁿ·(e^r − 1) + (2ⁿ − 1), both terms exact but for the last addition. Beyond the range where
    /// that matters (x > 20 or x < −20), e^x − 1.
    /// - Complexity: O(1).
    static func expMinusOne(_ x: Float) -> Float {
        guard !x.isNaN else { return x }
        if x.magnitude <= Self.halfLn2 { return x + x * x * self.taylorTail(x) }
        if x > 20 || x < -20 { return self.exp(x) - 1 }
        let (n, r) = self.reduce(x)
        let power = self.scale(1, byPowerOfTwo: n)
        return power * (r + r * r * self.taylorTail(r)) + (power - 1)
    }

    // MARK: - Building blocks

    /// n = round(x / ln 2) (ties to even, by adding and subtracting 1.5·2²³) and r = x − n·ln 2 in two steps.
    /// Valid for |x| < 2²¹.
    private static func reduce(_ x: Float) -> (n: Int, r: Float) {
        let shifter: Float = 0x1.8p23
        let k = (x * Self.log2e + shifter) - shifter
        let r = (x - k * Self.ln2Head) - k * Self.ln2Tail
        return (Int(k), r)
    }

    /// (e^r − 1 − r) / r² for |r| ≤ ln 2 / 2: 1/2! + r/3! + … + r⁵/7!.
    private static func taylorTail(_ r: Float) -> Float {
        self.horner(r, Self.inverseFactorials)
    }

    /// y·2ⁿ for y in [0.5, 2] and n in −151…128, rounded once (2ⁿ built from its exponent bits, in two exact steps
    /// when the result is subnormal or 2ⁿ itself is not finite).
    private static func scale(_ y: Float, byPowerOfTwo n: Int) -> Float {
        if n > 127 { return y * self.powerOfTwo(n - 1) * 2 }
        if n < -126 { return y * self.powerOfTwo(n + 64) * 0x1p-64 }
        return y * self.powerOfTwo(n)
    }

    /// 2ⁿ for n in −126…127.
    private static func powerOfTwo(_ n: Int) -> Float {
        Float(bitPattern: UInt32(n + 127) << 23)
    }

    /// c₀ + x·(c₁ + x·(c₂ + …)), coefficients lowest degree first, evaluated from the highest.
    @inline(__always)
    private static func horner(_ x: Float, _ coefficients: [Float]) -> Float {
        var result: Float = 0
        for coefficient in coefficients.reversed() { result = result * x + coefficient }
        return result
    }

    // MARK: - Constants

    /// log₂ e rounded to `Float`.
    private static let log2e: Float = 0x1.715476p+0
    /// The head of ln 2: its 16 leading bits, so that n·head is exact for |n| < 2⁸.
    private static let ln2Head: Float = 0x1.62e4p-1
    /// ln 2 − head, rounded to `Float`.
    private static let ln2Tail: Float = 0x1.7f7d1cp-20
    /// ln 2 / 2, the bound of |r| after reduction.
    private static let halfLn2: Float = 0x1.62e430p-2
    /// 1/2!, 1/3!, …, 1/7!, rounded to `Float`.
    private static let inverseFactorials: [Float] = [
        0x1p-1, 0x1.555556p-3, 0x1.555556p-5, 0x1.111112p-7, 0x1.6c16c2p-10, 0x1.a01a02p-13,
    ]
    /// R(t) ≈ erf(√t)/√t − 1 on [0, 1], lowest degree first.
    private static let erfSmall: [Float] = [
        0x1.06eba8p-3, -0x1.81273ep-2, 0x1.ce2d10p-4, -0x1.b7fabap-6, 0x1.541270p-8, -0x1.a45088p-11,
        0x1.4a5690p-14,
    ]
    /// G(1.625 + s) ≈ e^(x²)·erfc(x) for x in [1, 2.25], lowest degree first.
    private static let erfcScaledLow: [Float] = [
        0x1.3583f6p-2, -0x1.2b11e0p-3, 0x1.0a15a8p-4, -0x1.ba07ccp-6, 0x1.5a17fap-7, -0x1.006a24p-8,
        0x1.6c4974p-10, -0x1.10d300p-11, 0x1.63ae1ap-13,
    ]
    /// G(3.125 + s) ≈ e^(x²)·erfc(x) for x in [2.25, 4], lowest degree first.
    private static let erfcScaledHigh: [Float] = [
        0x1.612a80p-3, -0x1.9e8802p-5, 0x1.d507e8p-7, -0x1.009c74p-8, 0x1.0f7880p-10, -0x1.181150p-12,
        0x1.34e464p-14, -0x1.2d71d2p-16,
    ]
}
