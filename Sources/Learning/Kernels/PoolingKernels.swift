// Pooling: 2-D max and average pooling (1-D is the height-1 case), forward and backward.

/// The sizes of a pooling window over `[batch, channels, height, width]` (no padding).
public struct PoolingGeometry: Sendable, Equatable {
    /// Samples × channels: the planes pooled independently.
    var planes: Int
    /// Input height and width.
    var height: Int
    var width: Int
    /// Window height and width.
    var kernelHeight: Int
    var kernelWidth: Int
    /// Strides along height and width.
    var strideHeight: Int
    var strideWidth: Int

    var outputHeight: Int { (self.height - self.kernelHeight) / self.strideHeight + 1 }
    var outputWidth: Int { (self.width - self.kernelWidth) / self.strideWidth + 1 }
}

/// Pooling kernels over contiguous float32 buffers.
enum Pooling {
    /// Max pooling: the output and, for each output, the flat input index of its maximum (first on ties).
    /// - Complexity: O(planes · OH · OW · kh · kw).
    static func maxForward(_ input: Tensor, _ g: PoolingGeometry, outputShape: [Int]) -> (Tensor, [Int32]) {
        let count = g.planes * g.outputHeight * g.outputWidth
        var winners = [Int32](repeating: 0, count: count)
        let output = input.withUnsafeScalars { x in
            Tensor(shape: outputShape) { out in
                var position = 0
                for plane in 0..<g.planes {
                    let base = plane * g.height * g.width
                    for oy in 0..<g.outputHeight {
                        for ox in 0..<g.outputWidth {
                            var best = base + oy * g.strideHeight * g.width + ox * g.strideWidth
                            for ky in 0..<g.kernelHeight {
                                for kx in 0..<g.kernelWidth {
                                    let index = base + (oy * g.strideHeight + ky) * g.width + ox * g.strideWidth + kx
                                    if x[index] > x[best] { best = index }
                                }
                            }
                            out[position] = x[best]
                            winners[position] = Int32(best)
                            position += 1
                        }
                    }
                }
            }
        }
        return (output, winners)
    }

    /// Routes each output gradient to the input position that won the max.
    static func maxBackward(_ gradient: Tensor, winners: [Int32], inputShape: [Int]) -> Tensor {
        gradient.withUnsafeScalars { dy in
            Tensor(repeating: 0, shape: inputShape).filled { dx in
                for position in 0..<dy.count { dx[Int(winners[position])] += dy[position] }
            }
        }
    }

    /// Average pooling; the backward pass spreads each output gradient evenly over its window.
    /// - Complexity: O(planes · OH · OW · kh · kw).
    static func average(_ tensor: Tensor, _ g: PoolingGeometry, shape: [Int], backward: Bool) -> Tensor {
        let scale = 1 / Float(g.kernelHeight * g.kernelWidth)
        return tensor.withUnsafeScalars { source in
            Tensor(repeating: 0, shape: shape).filled { target in
                var position = 0
                for plane in 0..<g.planes {
                    let base = plane * g.height * g.width
                    for oy in 0..<g.outputHeight {
                        for ox in 0..<g.outputWidth {
                            var total: Float = 0
                            for ky in 0..<g.kernelHeight {
                                for kx in 0..<g.kernelWidth {
                                    let index = base + (oy * g.strideHeight + ky) * g.width + ox * g.strideWidth + kx
                                    if backward { target[index] += source[position] * scale } else { total += source[index] }
                                }
                            }
                            if !backward { target[position] = total * scale }
                            position += 1
                        }
                    }
                }
            }
        }
    }
}
