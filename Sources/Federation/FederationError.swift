// FederationError: the one error type of the Federation target.

/// Everything that can go wrong in the `Federation` target, with enough context to act on.
///
/// Aggregation input comes from peers, who may be Byzantine: every invalid input is one of these values, never a
/// trap. Client indices are positions in the `updates` array as given.
public enum FederationError: Error, Sendable, Hashable {
    /// `aggregate` was called with no client updates.
    case noUpdates
    /// Client `client`'s update has `actual` coordinates where the first update has `expected`.
    case dimensionMismatch(client: Int, expected: Int, actual: Int)
    /// Client `client`'s update holds a NaN or an infinity at `coordinate`.
    case nonFiniteValue(client: Int, coordinate: Int)
    /// `weights` has `weights` entries for `updates` updates.
    case weightCountMismatch(updates: Int, weights: Int)
    /// Every weight is zero, so no weighted mean exists.
    case zeroTotalWeight
    /// A trimmed mean over `clients` updates cannot drop `trim` values from each side (it needs `2 * trim < clients`).
    case trimTooLarge(trim: Int, clients: Int)
    /// Multi-Krum needs `clients >= 2 * byzantine + 3` and `1 <= selected <= clients - byzantine`.
    case krumParametersImpossible(clients: Int, byzantine: Int, selected: Int)
    /// A configuration value is out of range; `reason` says which range.
    case invalidParameter(name: String, reason: String)

    // MARK: Vector blobs (decodeVector)

    /// A vector blob does not start with the magic bytes `DEAIVEC1`; `found` holds its first (up to 8) bytes.
    case badMagic(found: [UInt8])
    /// A vector blob names an encoding code that no ``UpdateEncoding`` has.
    case unknownEncoding(code: UInt8)
    /// A vector blob ends early: its header and element count need `expectedBytes`, it has `actualBytes`.
    case truncatedVector(expectedBytes: Int, actualBytes: Int)
    /// A vector blob has `count` bytes after its last element.
    case trailingBytes(count: Int)
    /// A vector blob declares `count` elements, more than the caller's `maximum`.
    case vectorTooLong(count: UInt64, maximum: Int)
    /// A vector blob holds `actual` elements where the caller expects `expected` (the model's parameter count).
    case vectorCountMismatch(expected: Int, actual: Int)
    /// A vector blob decodes to a NaN or an infinity at `index`.
    case nonFiniteElement(index: Int)
    /// One of an int8 blob's scales (IEEE-754 bits `bitPattern`) is negative, NaN or infinite.
    case invalidScale(bitPattern: UInt32)
    /// An int8 blob holds −128 at `index`; the symmetric encoding only writes −127…127.
    case invalidQuantizedValue(index: Int)
}
