// API: the body of POST /v1/models/{id}/predict, read straight from its bytes.

/// Reads a predict body, `{"inputs": [[number, …], …]}`, straight from its bytes — what `JSONDecoder` took a fifth
/// of an inference server's time per request to do.
///
/// It reads only bodies whose meaning is plain and declines (`nil`) every other: a key besides `inputs`, that key
/// twice or escaped, a value that is not an array of arrays of numbers, anything that is not JSON, and any number it
/// cannot convert exactly with a single rounding — more than 19 significant digits, a mantissa above 2⁵³ or a power
/// of ten beyond 10²² (Clinger's fast path; `0.25`, `-1.5e3` and `16` are on it, `1e400` and `NaN` are not) —
/// and a zero with an exponent, some of which `JSONDecoder` refuses (`0e1`) and some it takes (`0e10`). The
/// route gives a declined body to `JSONDecoder`, so `JSONDecoder` alone decides what is refused and with which
/// message; this reader only ever agrees with it, value for value and bit for bit (the tests hold it to that on
/// random and mutated bodies).
///
/// ```swift
/// // [[0.5, -1.25]] for {"inputs": [[0.5, -1.25]]}; nil for {"inputs": [[NaN]]}
/// let rows = buffer.withUnsafeReadableBytes { PredictBody.rows(in: $0) }
/// ```
///
/// - Complexity: O(n) in the body's length; no recursion (an array nested deeper than two levels is declined where
///   it opens).
package enum PredictBody {
    /// The rows of `body`, or `nil` when it is not a plain predict body (`JSONDecoder` must read it).
    package static func rows(in body: UnsafeRawBufferPointer) -> [[Double]]? {
        var reader = Reader(bytes: body)
        guard reader.take(UInt8(ascii: "{")), reader.take(Self.inputsKey), reader.take(UInt8(ascii: ":")),
            reader.take(UInt8(ascii: "["))
        else { return nil }
        var rows: [[Double]] = []
        if !reader.take(UInt8(ascii: "]")) {
            repeat {
                guard let row = reader.row(capacity: rows.last?.count ?? 0) else { return nil }
                rows.append(row)
            } while reader.take(UInt8(ascii: ","))
            guard reader.take(UInt8(ascii: "]")) else { return nil }
        }
        guard reader.take(UInt8(ascii: "}")) else { return nil }
        reader.skipWhitespace()
        return reader.isAtEnd ? rows : nil
    }

    private static let inputsKey = Array(#""inputs""#.utf8)
}

/// A cursor over a body's bytes.
private struct Reader {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    var isAtEnd: Bool { self.index == self.bytes.count }

    /// The byte under the cursor, if any.
    var next: UInt8? { self.index < self.bytes.count ? self.bytes[self.index] : nil }

    /// Skips JSON whitespace: space, tab, line feed, carriage return.
    mutating func skipWhitespace() {
        while let byte = self.next, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { self.index += 1 }
    }

    /// Skips whitespace, then `byte` if it comes next; whether it did.
    mutating func take(_ byte: UInt8) -> Bool {
        self.skipWhitespace()
        guard self.next == byte else { return false }
        self.index += 1
        return true
    }

    /// Skips whitespace, then `literal` if it comes next; whether it did.
    mutating func take(_ literal: [UInt8]) -> Bool {
        self.skipWhitespace()
        guard self.bytes.count - self.index >= literal.count,
            literal.indices.allSatisfy({ self.bytes[self.index + $0] == literal[$0] })
        else { return false }
        self.index += literal.count
        return true
    }

    /// `[number, …]`, or `nil` when something else comes.
    mutating func row(capacity: Int) -> [Double]? {
        guard self.take(UInt8(ascii: "[")) else { return nil }
        var row: [Double] = []
        row.reserveCapacity(capacity)
        if self.take(UInt8(ascii: "]")) { return row }
        repeat {
            self.skipWhitespace()
            guard let value = self.number() else { return nil }
            row.append(value)
        } while self.take(UInt8(ascii: ","))
        return self.take(UInt8(ascii: "]")) ? row : nil
    }

    /// A JSON number (RFC 8259 §6) on Clinger's fast path, or `nil` (not a number, or off the path).
    mutating func number() -> Double? {
        let negative = self.next == UInt8(ascii: "-")
        if negative { self.index += 1 }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        /// Appends a digit to the mantissa; `false` past 19 significant digits.
        func append(_ digit: UInt8) -> Bool {
            guard mantissa != 0 || digit != 0 else { return true }
            guard significantDigits < 19 else { return false }
            mantissa = mantissa * 10 + UInt64(digit)
            significantDigits += 1
            return true
        }
        // The integer part: 0, or a digit 1–9 and more digits.
        guard let first = self.digit() else { return nil }
        if first == 0 {
            if self.digit() != nil { return nil }
        } else {
            _ = append(first)
            while let digit = self.digit() { guard append(digit) else { return nil } }
        }
        if self.next == UInt8(ascii: ".") {
            self.index += 1
            guard let digit = self.digit(), append(digit) else { return nil }
            exponent -= 1
            while let digit = self.digit() {
                guard append(digit) else { return nil }
                exponent -= 1
            }
        }
        if self.next == UInt8(ascii: "e") || self.next == UInt8(ascii: "E") {
            // JSONDecoder refuses some zeros with an exponent (`0e1`, `-0.0e5`) and takes others (`0e10`, `0.0e5`).
            guard mantissa != 0 else { return nil }
            self.index += 1
            let negativeExponent = self.next == UInt8(ascii: "-")
            if negativeExponent || self.next == UInt8(ascii: "+") { self.index += 1 }
            guard var written = self.digit().map(Int.init) else { return nil }
            while let digit = self.digit() { written = min(written * 10 + Int(digit), 1_000) }
            exponent += negativeExponent ? -written : written
        }
        guard let magnitude = Self.exactly(mantissa, timesTenToThe: exponent) else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// The next byte's value if it is a decimal digit, which it consumes.
    private mutating func digit() -> UInt8? {
        guard let byte = self.next, byte &- UInt8(ascii: "0") < 10 else { return nil }
        self.index += 1
        return byte &- UInt8(ascii: "0")
    }

    /// `mantissa · 10^exponent` correctly rounded, when one IEEE operation on two exact doubles gives it.
    private static func exactly(_ mantissa: UInt64, timesTenToThe exponent: Int) -> Double? {
        guard mantissa != 0 else { return 0 }
        guard mantissa <= 1 << 53, abs(exponent) < Self.powersOfTen.count else { return nil }
        let value = Double(mantissa)
        return exponent >= 0 ? value * Self.powersOfTen[exponent] : value / Self.powersOfTen[-exponent]
    }

    /// 10⁰ … 10²²: every power of ten a double holds exactly.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]
}
