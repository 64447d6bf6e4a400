// HalfPrecision: IEEE-754 binary16 conversion in plain integer arithmetic, identical on every platform.

/// Converts between `Float` and IEEE-754 binary16 bit patterns without the `Float16` type, which is missing on
/// some platforms (macOS on x86-64). Integer arithmetic only, so every machine gives the same bits.
enum HalfPrecision {
    /// The largest finite binary16 value, 65504, as bits.
    static let largestFinite: UInt16 = 0x7BFF

    /// The binary16 bits nearest to `value` (round to nearest, ties to even). Finite values too large for binary16
    /// saturate to ±65504; infinities and NaN stay infinities and NaN.
    static func bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        let mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {
            return sign | 0x7C00 | (mantissa == 0 ? 0 : 0x0200 | UInt16(truncatingIfNeeded: mantissa >> 13))
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1F { return sign | Self.largestFinite }
        if halfExponent <= 0 {
            // Subnormal or zero in binary16: value = significand × 2^(halfExponent − 14 − 10).
            if halfExponent < -10 { return sign }
            let significand = mantissa | 0x80_0000
            let shift = UInt32(14 - halfExponent)
            var half = significand >> shift
            let remainder = significand & ((1 << shift) - 1)
            let halfway: UInt32 = 1 << (shift - 1)
            if remainder > halfway || (remainder == halfway && half & 1 == 1) { half += 1 }
            return sign | UInt16(truncatingIfNeeded: half)
        }
        var half = UInt32(halfExponent) << 10 | mantissa >> 13
        let remainder = mantissa & 0x1FFF
        if remainder > 0x1000 || (remainder == 0x1000 && half & 1 == 1) { half += 1 }
        if half >= 0x7C00 { return sign | Self.largestFinite }
        return sign | UInt16(truncatingIfNeeded: half)
    }

    /// The `Float` equal to binary16 `bits` (exact: every binary16 value is a `Float`).
    static func value(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
        }
    }
}
