// FrameReader: cuts a peer's byte stream into length-prefixed frames, refusing any frame above the limit.

/// Why a peer's byte stream was refused.
public enum FrameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A frame announced more bytes than the limit allows for its kind (or for any kind, before it is read:
    /// `kind` is then "frame"); the peer is cut off.
    case frameTooLarge(length: Int, limit: Int, kind: String = "frame")

    public var description: String {
        switch self {
        case .frameTooLarge(let length, let limit, let kind): "a peer sent a \(kind) of \(length) bytes; the limit is \(limit)"
        }
    }
}

/// The frames of a connection between nodes: a 4-byte big-endian length, then that many bytes (one canonical
/// message). Bytes arrive in any chunks; ``append(_:)`` hands back every frame they complete, in order. A length
/// above ``limit`` is refused as soon as its 4 bytes arrive, so a peer cannot make the node buffer more than the
/// limit.
///
/// ```swift
/// var reader = FrameReader(limit: 16 << 20)
/// for frame in try reader.append(chunk) { handle(try ConsensusMessage(canonicalEncoding: frame)) }
/// ```
public struct FrameReader: Sendable {
    /// The largest frame accepted, in bytes (the length prefix not counted).
    public let limit: Int
    private var buffer: [UInt8] = []
    private var start = 0

    /// A reader of frames of at most `limit` bytes.
    public init(limit: Int) {
        self.limit = limit
    }

    /// The 4-byte length prefix and `payload`, ready to send.
    /// - Precondition: `payload` fits in 32 bits of length.
    public static func frame(_ payload: [UInt8]) -> [UInt8] {
        precondition(payload.count <= Int(UInt32.max), "FrameReader: a frame is at most 4 GiB")
        let length = UInt32(payload.count)
        return [UInt8(length >> 24), UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 8),
                UInt8(truncatingIfNeeded: length)] + payload
    }

    /// Bytes not yet part of a complete frame.
    public var pendingByteCount: Int { self.buffer.count - self.start }

    /// Adds `bytes` and returns the frames they complete.
    /// - Throws: ``FrameError/frameTooLarge(length:limit:kind:)``; the reader is then unusable, as the connection is.
    public mutating func append(_ bytes: some Sequence<UInt8>) throws(FrameError) -> [[UInt8]] {
        self.buffer.append(contentsOf: bytes)
        var frames: [[UInt8]] = []
        while self.pendingByteCount >= 4 {
            let prefix = self.buffer[self.start..<self.start + 4]
            let length = prefix.reduce(0) { $0 << 8 | Int($1) }
            guard length <= self.limit else { throw .frameTooLarge(length: length, limit: self.limit) }
            guard self.pendingByteCount >= 4 + length else { break }
            frames.append(Array(self.buffer[self.start + 4..<self.start + 4 + length]))
            self.start += 4 + length
        }
        if self.start > 0, self.start * 2 >= self.buffer.count {
            self.buffer.removeFirst(self.start)
            self.start = 0
        }
        return frames
    }
}
