// EncodingDistortion: how far a vector moves when it goes through a lossy encoding and back.

/// The round-trip error of encoding a vector, from ``measureEncodingError(_:encoding:)``.
///
/// Named *distortion* rather than *error* so it is not mistaken for a thrown error (or for `Swift.EncodingError`).
public struct EncodingDistortion: Sendable, Hashable {
    /// The largest absolute difference of one element, `max |x − x̂|`.
    public var maxAbsolute: Double
    /// `‖x − x̂‖₂ / ‖x‖₂` (0 when `x` is all zeros and comes back unchanged).
    public var relativeL2: Double

    /// A distortion measurement.
    public init(maxAbsolute: Double, relativeL2: Double) {
        self.maxAbsolute = maxAbsolute
        self.relativeL2 = relativeL2
    }
}

/// Encodes `values` with `encoding`, decodes them, and measures the difference.
///
/// ```swift
/// measureEncodingError(update.delta, encoding: .int8).relativeL2  // about 0.0065 for a trained MLP delta
/// ```
///
/// - Returns: zero distortion for ``UpdateEncoding/float32``; infinite distortion when `values` holds a non-finite
///   value (the blob would not decode).
/// - Complexity: O(n).
public func measureEncodingError(_ values: [Float], encoding: UpdateEncoding) -> EncodingDistortion {
    guard let decoded = try? decodeVector(encodeVector(values, as: encoding), expectedCount: values.count,
                                          maxCount: values.count)
    else {
        return EncodingDistortion(maxAbsolute: .infinity, relativeL2: .infinity)
    }
    var largest = 0.0
    var errorSquares = 0.0
    var squares = 0.0
    for (original, restored) in zip(values, decoded) {
        let difference = Double(original) - Double(restored)
        largest = max(largest, abs(difference))
        errorSquares += difference * difference
        squares += Double(original) * Double(original)
    }
    let relative = squares > 0 ? (errorSquares / squares).squareRoot() : (errorSquares > 0 ? .infinity : 0)
    return EncodingDistortion(maxAbsolute: largest, relativeL2: relative)
}
