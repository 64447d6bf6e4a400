// Xoshiro256 and SplitMix64: small seeded generators, so randomness is always passed in and repeatable.

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator, used to expand one seed into Xoshiro's state.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { self.state = seed }

    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman, Vigna 2018): the generator of every random choice in Learning (initialization,
/// shuffling, dropout). The same seed gives the same stream on every platform.
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose state is expanded from `seed` with SplitMix64.
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        self.state = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
    }

    public mutating func next() -> UInt64 {
        let result = rotate(self.state.1 &* 5, 7) &* 9
        let t = self.state.1 << 17
        self.state.2 ^= self.state.0
        self.state.3 ^= self.state.1
        self.state.1 ^= self.state.2
        self.state.0 ^= self.state.3
        self.state.2 ^= t
        self.state.3 = rotate(self.state.3, 45)
        return result
    }
}

private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

extension RandomNumberGenerator {
    /// A float uniform in [0, 1) from the top 24 bits of one draw (the same on every platform).
    mutating func nextUnitFloat() -> Float {
        Float(self.next() >> 40) * 0x1p-24
    }

    /// A float uniform in [−bound, bound).
    mutating func nextFloat(bound: Float) -> Float {
        (self.nextUnitFloat() * 2 - 1) * bound
    }

    /// An integer uniform in 0..<upperBound (Lemire's multiply-shift with rejection; platform-independent).
    mutating func nextIndex(below upperBound: Int) -> Int {
        let bound = UInt64(upperBound)
        while true {
            let product = self.next().multipliedFullWidth(by: bound)
            if product.low >= (0 &- bound) % bound { return Int(product.high) }
        }
    }

    /// A permutation of 0..<count (Fisher–Yates with ``nextIndex(below:)``).
    mutating func permutation(_ count: Int) -> [Int] {
        var values = Array(0..<count)
        if count > 1 {
            for index in stride(from: count - 1, to: 0, by: -1) {
                values.swapAt(index, self.nextIndex(below: index + 1))
            }
        }
        return values
    }
}
