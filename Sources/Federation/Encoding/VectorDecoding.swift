// VectorDecoding: decodeVector(_:expectedCount:maxCount:), the strict reader of vector blobs.

/// Decodes a vector blob written by ``encodeVector(_:as:)``, rejecting anything else.
///
/// Blobs come from peers, who may be Byzantine: every malformed input is a ``FederationError``, never a trap, and
/// the declared element count is checked against `maxCount` before any allocation.
///
/// ```swift
/// let delta = try decodeVector(blob, expectedCount: model.parameterCount)
/// ```
///
/// - Parameters:
///   - bytes: the blob.
///   - expectedCount: the element count the caller needs (for example the model's parameter count), or `nil` to
///     accept any count up to `maxCount`.
///   - maxCount: the largest element count accepted (default 50 million, 200 MB as float32).
/// - Returns: the elements, as `Float`.
/// - Throws: ``FederationError/badMagic(found:)``, ``FederationError/unknownEncoding(code:)``,
///   ``FederationError/truncatedVector(expectedBytes:actualBytes:)``, ``FederationError/vectorTooLong(count:maximum:)``,
///   ``FederationError/vectorCountMismatch(expected:actual:)``, ``FederationError/trailingBytes(count:)``,
///   ``FederationError/invalidScale(bitPattern:)``, ``FederationError/invalidQuantizedValue(index:)`` or
///   ``FederationError/nonFiniteElement(index:)`` (the first offending element).
/// - Complexity: O(bytes.count).
public func decodeVector(
    _ bytes: [UInt8],
    expectedCount: Int? = nil,
    maxCount: Int = 50_000_000
) throws(FederationError) -> [Float] {
    guard bytes.count >= VectorBlob.headerSize else {
        let start = bytes.prefix(VectorBlob.magic.count)
        if !start.elementsEqual(VectorBlob.magic.prefix(start.count)) { throw .badMagic(found: Array(start)) }
        throw .truncatedVector(expectedBytes: VectorBlob.headerSize, actualBytes: bytes.count)
    }
    guard bytes[0..<8].elementsEqual(VectorBlob.magic) else { throw .badMagic(found: Array(bytes[0..<8])) }
    guard let encoding = UpdateEncoding(code: bytes[8]) else { throw .unknownEncoding(code: bytes[8]) }
    let declared: UInt64 = readLittleEndian(bytes, at: 9)
    guard declared <= UInt64(max(maxCount, 0)) else { throw .vectorTooLong(count: declared, maximum: maxCount) }
    let count = Int(declared)
    if let expectedCount, count != expectedCount { throw .vectorCountMismatch(expected: expectedCount, actual: count) }
    let scaleCount = encoding == .int8 ? Int8Quantization.scaleCount(count) : 0
    let (scaleBytes, overflow1) = scaleCount.multipliedReportingOverflow(by: VectorBlob.scaleSize)
    let payloadStart = VectorBlob.headerSize + scaleBytes
    let (payloadSize, overflow2) = count.multipliedReportingOverflow(by: encoding.bytesPerElement)
    let (total, overflow3) = payloadStart.addingReportingOverflow(payloadSize)
    guard !overflow1, !overflow2, !overflow3 else { throw .vectorTooLong(count: declared, maximum: maxCount) }
    guard bytes.count >= total else { throw .truncatedVector(expectedBytes: total, actualBytes: bytes.count) }
    guard bytes.count == total else { throw .trailingBytes(count: bytes.count - total) }

    var values = [Float](repeating: 0, count: count)
    switch encoding {
    case .float32:
        for index in 0..<count {
            let value = Float(bitPattern: readLittleEndian(bytes, at: payloadStart + 4 * index))
            guard value.isFinite else { throw .nonFiniteElement(index: index) }
            values[index] = value
        }
    case .float16:
        for index in 0..<count {
            let value = HalfPrecision.value(readLittleEndian(bytes, at: payloadStart + 2 * index))
            guard value.isFinite else { throw .nonFiniteElement(index: index) }
            values[index] = value
        }
    case .int8:
        var scales = [Float](repeating: 0, count: scaleCount)
        for block in 0..<scaleCount {
            let scaleBits: UInt32 = readLittleEndian(bytes, at: VectorBlob.headerSize + VectorBlob.scaleSize * block)
            let scale = Float(bitPattern: scaleBits)
            guard scale.isFinite, scale >= 0 else { throw .invalidScale(bitPattern: scaleBits) }
            scales[block] = scale
        }
        for index in 0..<count {
            let level = Int8(bitPattern: bytes[payloadStart + index])
            guard level != .min else { throw .invalidQuantizedValue(index: index) }
            // A finite scale above Float.greatestFiniteMagnitude / 127 makes a level overflow to an infinity.
            let value = Float(level) * scales[index / Int8Quantization.blockSize]
            guard value.isFinite else { throw .nonFiniteElement(index: index) }
            values[index] = value
        }
    }
    return values
}

/// The little-endian integer at `offset` (the caller has checked the bounds).
private func readLittleEndian<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int) -> T {
    var value: T = 0
    for index in 0..<(T.bitWidth / 8) {
        value |= T(truncatingIfNeeded: bytes[offset + index]) << (8 * index)
    }
    return value
}
