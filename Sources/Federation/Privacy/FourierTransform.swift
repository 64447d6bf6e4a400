// The discrete Fourier transform, for composing privacy loss distributions by convolution.

import Foundation

/// A radix-2 fast Fourier transform of a fixed power-of-two length, in place on split real and imaginary parts.
///
/// The twiddle factors are computed once each from `cos` and `sin` (not by recurrence), so the transform of a
/// million points keeps about 1e-15 of relative accuracy.
struct FourierTransform {
    /// The number of points, a power of two.
    let count: Int
    private let cosines: [Double]
    private let sines: [Double]

    /// A transform of `count` points.
    init(count: Int) {
        precondition(count > 0 && count & (count - 1) == 0, "the transform's length is a power of two")
        self.count = count
        let half = max(count / 2, 1)
        self.cosines = (0..<half).map { cos(2 * Double.pi * Double($0) / Double(count)) }
        self.sines = (0..<half).map { sin(2 * Double.pi * Double($0) / Double(count)) }
    }

    /// Replaces (`real`, `imaginary`) by its transform: Xₖ = Σⱼ xⱼ e^(∓2πijk/n), the minus sign forward; the
    /// inverse also divides by n.
    func transform(real: inout [Double], imaginary: inout [Double], inverse: Bool = false) {
        precondition(real.count == self.count && imaginary.count == self.count, "the transform's length")
        let n = self.count
        let sign = inverse ? 1.0 : -1.0
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in
                Self.reorderByBitReversal(re, im)
                var span = 1
                while span < n {
                    let stride = n / (2 * span)
                    var start = 0
                    while start < n {
                        for offset in 0..<span {
                            let wr = self.cosines[offset * stride]
                            let wi = sign * self.sines[offset * stride]
                            let (i, j) = (start + offset, start + offset + span)
                            let tr = wr * re[j] - wi * im[j]
                            let ti = wr * im[j] + wi * re[j]
                            re[j] = re[i] - tr
                            im[j] = im[i] - ti
                            re[i] += tr
                            im[i] += ti
                        }
                        start += 2 * span
                    }
                    span *= 2
                }
                if inverse {
                    let scale = 1 / Double(n)
                    for index in 0..<n {
                        re[index] *= scale
                        im[index] *= scale
                    }
                }
            }
        }
    }

    /// Swaps each element with the one at its bit-reversed index.
    private static func reorderByBitReversal(_ re: UnsafeMutableBufferPointer<Double>, _ im: UnsafeMutableBufferPointer<Double>) {
        let n = re.count
        var reversed = 0
        for index in 1..<max(n, 1) {
            var bit = n >> 1
            while reversed & bit != 0 {
                reversed ^= bit
                bit >>= 1
            }
            reversed |= bit
            if index < reversed {
                re.swapAt(index, reversed)
                im.swapAt(index, reversed)
            }
        }
    }
}
