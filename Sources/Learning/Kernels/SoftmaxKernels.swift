// Softmax: numerically stable softmax and log-softmax along the last axis.

import Foundation

/// Softmax kernels over the rows of a contiguous `[rows, width]` layout.
public enum Softmax {
    /// softmax(x)_i = e^(x_i − max x) / Σ_j e^(x_j − max x), along the last axis.
    /// - Complexity: O(n).
    public static func softmax(_ x: Tensor) -> Tensor {
        self.rowwise(x, logarithm: false)
    }

    /// log softmax(x)_i = x_i − max x − log Σ_j e^(x_j − max x), along the last axis.
    /// - Complexity: O(n).
    public static func logSoftmax(_ x: Tensor) -> Tensor {
        self.rowwise(x, logarithm: true)
    }

    private static func rowwise(_ x: Tensor, logarithm: Bool) -> Tensor {
        let width = max(x.shape.last ?? 1, 1)
        return x.withUnsafeScalars { input in
            Tensor(shape: x.shape) { out in
                for row in 0..<(input.count / width) {
                    let base = row * width
                    var largest = -Float.infinity
                    for i in 0..<width { largest = max(largest, input[base + i]) }
                    var total: Float = 0
                    for i in 0..<width {
                        let e = Foundation.exp(input[base + i] - largest)
                        out[base + i] = e
                        total += e
                    }
                    if logarithm {
                        let shift = largest + Foundation.log(total)
                        for i in 0..<width { out[base + i] = input[base + i] - shift }
                    } else {
                        let inverse = 1 / total
                        for i in 0..<width { out[base + i] *= inverse }
                    }
                }
            }
        }
    }
}
