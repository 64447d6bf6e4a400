// DeAITesting: a repeatable random number generator for tests.

import Learning

/// A SplitMix64 random number generator (Learning's ``Learning/SplitMix64``, the project's one implementation):
/// the same seed gives the same sequence on every machine.
///
/// Use it wherever a test needs randomness, and print or pass the seed so a failure can be replayed.
/// Not for cryptographic use.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var base: SplitMix64

    /// Creates a generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        self.base = SplitMix64(seed: seed)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        self.base.next()
    }
}
