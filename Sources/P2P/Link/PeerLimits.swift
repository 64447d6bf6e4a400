// PeerLimits: what one peer may send — the largest frame of each kind, and how many messages and bytes a second.

/// The limits a node holds each peer to. A frame larger than its kind allows, or a peer that sends faster than
/// the rates (beyond a burst of ``burstSeconds`` of them), ends the link (``PeerLinkError``).
public struct PeerLimits: Sendable, Hashable {
    /// The largest proposal or decided block, in bytes.
    public var blockFrameBytes: Int
    /// The largest batch of transactions, in bytes.
    public var transactionFrameBytes: Int
    /// The largest blob, in bytes (larger ones are not exchanged between peers).
    public var blobFrameBytes: Int
    /// The largest list of addresses, in bytes.
    public var addressFrameBytes: Int
    /// The largest hello, vote, catch-up or address request, in bytes.
    public var smallFrameBytes: Int
    /// Messages a second, sustained.
    public var messagesPerSecond: Double
    /// Bytes a second, sustained.
    public var bytesPerSecond: Double
    /// How many seconds of the rates may arrive at once.
    public var burstSeconds: Double

    /// Limits with every value given; the defaults carry the largest block a node builds and far more votes and
    /// transactions than a healthy network sends.
    public init(
        blockFrameBytes: Int = 64 << 20, transactionFrameBytes: Int = 16 << 20, blobFrameBytes: Int = 64 << 20,
        addressFrameBytes: Int = 32 << 10,
        smallFrameBytes: Int = 4 << 10, messagesPerSecond: Double = 5_000, bytesPerSecond: Double = 64 * 1_048_576,
        burstSeconds: Double = 4
    ) {
        self.blockFrameBytes = blockFrameBytes
        self.transactionFrameBytes = transactionFrameBytes
        self.blobFrameBytes = blobFrameBytes
        self.addressFrameBytes = addressFrameBytes
        self.smallFrameBytes = smallFrameBytes
        self.messagesPerSecond = messagesPerSecond
        self.bytesPerSecond = bytesPerSecond
        self.burstSeconds = burstSeconds
    }

    /// The largest frame of any kind: no frame above it is read at all.
    public var largestFrameBytes: Int {
        max(self.blockFrameBytes, self.transactionFrameBytes, self.blobFrameBytes, self.addressFrameBytes, self.smallFrameBytes)
    }

    /// The kind of message a frame's first byte announces, and the largest frame of that kind.
    func limit(forTag tag: UInt8?) -> (kind: String, bytes: Int) {
        switch tag {
        case 1: ("proposal", self.blockFrameBytes)
        case 3: ("decided block", self.blockFrameBytes)
        case 5: ("transactions", self.transactionFrameBytes)
        case 65: ("addresses", self.addressFrameBytes)
        case 67: ("blob", self.blobFrameBytes)
        default: ("message", self.smallFrameBytes)
        }
    }
}

/// A token bucket: `rate` tokens a second, at most `capacity` saved up.
struct TokenBucket {
    let rate: Double
    let capacity: Double
    private var tokens: Double
    private var refilled: ContinuousClock.Instant

    init(rate: Double, burstSeconds: Double, now: ContinuousClock.Instant) {
        self.rate = rate
        self.capacity = rate * burstSeconds
        self.tokens = self.capacity
        self.refilled = now
    }

    /// Takes `amount` tokens if there are that many.
    mutating func take(_ amount: Double, now: ContinuousClock.Instant) -> Bool {
        let elapsed = now - self.refilled
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        self.tokens = min(self.capacity, self.tokens + seconds * self.rate)
        self.refilled = now
        guard self.tokens >= amount else { return false }
        self.tokens -= amount
        return true
    }
}
