// Raw feature rows in the canonical encoding.

public import DeAICore

/// Raw feature rows as a request sends them, with their canonical encoding: the row count, the width, then
/// every value's binary64 bits, row by row (no rows: count 0, width 0). Rows of different widths do not encode.
public struct InferenceRows: Sendable, Hashable {
    /// The most rows one request or one piece of evidence may carry.
    public static let maxRows = 1_024
    /// The most values one row may carry.
    public static let maxWidth = 65_536

    /// The rows.
    public var rows: [[Double]]

    /// Wraps `rows`.
    public init(_ rows: [[Double]]) { self.rows = rows }

    /// The common width, or `nil` when there are no rows or they differ.
    public var width: Int? {
        guard let first = self.rows.first, self.rows.allSatisfy({ $0.count == first.count }) else { return nil }
        return first.count
    }
}

extension InferenceRows: CanonicalCodable {
    /// Encodes the count, the width (0 for no rows) and the bits; the caller checks ``width`` first.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(UInt64(self.rows.count))
        encoder.encode(UInt64(self.rows.first?.count ?? 0))
        for row in self.rows {
            for value in row { encoder.encode(value.bitPattern) }
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let offset = decoder.offset
        let count = try decoder.decodeUInt64()
        let width = try decoder.decodeUInt64()
        guard count <= UInt64(Self.maxRows), width <= UInt64(Self.maxWidth),
            count * width * 8 <= UInt64(decoder.remainingCount)
        else {
            throw .invalidValue(offset: offset, reason: "\(count) rows of \(width) values do not fit")
        }
        // No rows encode with width 0: any other width would be a second encoding of the same rows.
        guard count > 0 || width == 0 else {
            throw .invalidValue(offset: offset, reason: "no rows declare width \(width); their width is 0")
        }
        var rows: [[Double]] = []
        rows.reserveCapacity(Int(count))
        for _ in 0..<count {
            var row = [Double]()
            row.reserveCapacity(Int(width))
            for _ in 0..<width { row.append(Double(bitPattern: try decoder.decodeUInt64())) }
            rows.append(row)
        }
        self.rows = rows
    }
}
