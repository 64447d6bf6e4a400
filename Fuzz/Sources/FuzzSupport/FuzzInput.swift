// FuzzInput: splits one fuzz input into a selector and the rest.

/// A fuzz input read from the front: a selector byte picks what to decode, the rest is what is decoded.
public struct FuzzInput {
    /// The bytes not taken yet.
    public private(set) var remaining: ArraySlice<UInt8>

    /// An input over `bytes`.
    public init(_ bytes: [UInt8]) {
        self.remaining = bytes[...]
    }

    /// Takes the first byte; 0 when the input is empty.
    public mutating func takeByte() -> UInt8 {
        self.remaining.popFirst() ?? 0
    }

    /// Takes up to `count` bytes.
    public mutating func take(_ count: Int) -> [UInt8] {
        let taken = self.remaining.prefix(count)
        self.remaining = self.remaining.dropFirst(taken.count)
        return Array(taken)
    }

    /// The bytes not taken yet, as an array.
    public var rest: [UInt8] { Array(self.remaining) }
}
