// The cost of deriving a key-file encryption key from a passphrase.

/// scrypt (RFC 7914) cost parameters, stored in every encrypted key file next to its salt.
///
/// The default, N = 2^15, r = 8, p = 1, takes about 100 ms and 32 MiB on one core here: cheap for a person
/// unlocking a key, costly for someone guessing passphrases. Tests pass a smaller N.
public struct ScryptParameters: Sendable, Hashable, Codable {
    /// The CPU/memory cost N, a power of two.
    public var n: Int
    /// The block size r.
    public var r: Int
    /// The parallelism p.
    public var p: Int

    /// Parameters with every field given.
    public init(n: Int, r: Int, p: Int) {
        self.n = n
        self.r = r
        self.p = p
    }

    /// N = 2^15, r = 8, p = 1.
    public static let `default` = ScryptParameters(n: 1 << 15, r: 8, p: 1)

    /// Whether the parameters are within what a key file may ask for (so a hostile file cannot exhaust memory).
    var isReasonable: Bool {
        self.n >= 2 && self.n <= 1 << 20 && self.n & (self.n - 1) == 0 && (1...32).contains(self.r)
            && (1...16).contains(self.p)
    }
}
