// Small helpers for the Federation tests: random updates from Learning's SplitMix64, fingerprints, distances.

import Learning

extension SplitMix64 {
    /// `count` vectors of length `dimension` with values uniform in `range`.
    mutating func updates(count: Int, dimension: Int, in range: ClosedRange<Float> = -1...1) -> [[Float]] {
        (0..<count).map { _ in (0..<dimension).map { _ in Float.random(in: range, using: &self) } }
    }
}

/// FNV-1a 64 of `bytes`: a pinned fingerprint of an aggregate's canonical bytes (not a security hash).
func fingerprint(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }
    return hash
}

/// Largest absolute coordinate difference.
func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// Euclidean distance in `Double`.
func distance(_ a: [Float], _ b: [Float]) -> Double {
    zip(a, b).map {
        let d = Double($0) - Double($1)
        return d * d
    }.reduce(0, +).squareRoot()
}
