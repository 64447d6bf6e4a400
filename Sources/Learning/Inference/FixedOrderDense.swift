// FixedOrderDense: y = b + W·x with each output summed in input order, 16 outputs at a time in SIMD lanes.

/// The matrix-vector product of ``FixedOrderNetwork``'s dense and convolution layers: for each row x of the
/// input, yⱼ = bⱼ + Wⱼ₀·x₀ + Wⱼ₁·x₁ + … evaluated left to right, every product rounded before it is added (no
/// fused multiply-add).
///
/// **Determinism.** Each output's sum has that one order, whatever the lane width, the number of rows processed
/// together, or the CPU: the SIMD lanes run over *outputs* (16 of them side by side), never over the terms of one
/// sum, and Swift's `SIMD16<Float>` arithmetic is lane-wise IEEE 754. Swift marks no floating-point operation as
/// contractible or reassociable, so no CPU's code generator fuses `sum + w * x` (checked: even compiled for a CPU
/// with FMA, the loop is multiplies and adds). The tests pin the resulting bits.
struct FixedOrderDense: Sendable {
    /// Inputs per row.
    let inputs: Int
    /// Outputs per row.
    let outputs: Int
    /// The weights in blocks of 16 outputs: block b holds, for each input i, the weights of outputs 16b…16b+15
    /// from input i (0 past ``outputs``), at `b · inputs + i`.
    private let packedWeights: [SIMD16<Float>]
    /// The biases in the same blocks (0 past ``outputs``).
    private let packedBiases: [SIMD16<Float>]

    /// A layer from a weight `[outputs, inputs]` (row-major, PyTorch's `Linear` layout) and a bias `[outputs]`.
    /// - Complexity: O(inputs · outputs).
    init(weight: ArraySlice<Float>, bias: ArraySlice<Float>, inputs: Int, outputs: Int) {
        precondition(weight.count == inputs * outputs && bias.count == outputs, "FixedOrderDense: parameter sizes")
        self.inputs = inputs
        self.outputs = outputs
        let blocks = (outputs + 15) / 16
        var packedWeights = [SIMD16<Float>](repeating: .zero, count: blocks * inputs)
        var packedBiases = [SIMD16<Float>](repeating: .zero, count: blocks)
        for output in 0..<outputs {
            let (block, lane) = output.quotientAndRemainder(dividingBy: 16)
            packedBiases[block][lane] = bias[bias.startIndex + output]
            let row = weight.startIndex + output * inputs
            for input in 0..<inputs { packedWeights[block * inputs + input][lane] = weight[row + input] }
        }
        self.packedWeights = packedWeights
        self.packedBiases = packedBiases
    }

    /// Applies the layer to `rows` rows of ``inputs`` contiguous scalars each, writing output j of row r at
    /// `output[r · rowStride + j · columnStride]`.
    ///
    /// Blocks of outputs go two at a time: rows in pairs through each block (two rows share each weight load),
    /// then a last odd row through both blocks together (eight independent vector sums hide the adder's latency).
    /// - Complexity: O(rows · inputs · outputs).
    func apply(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>, rowStride: Int,
               columnStride: Int) {
        self.packedWeights.withUnsafeBufferPointer { weights in
            guard let weights = weights.baseAddress else { return }
            let blocks = self.packedBiases.count
            let lastRow = rows - rows % 2
            for firstBlock in stride(from: 0, to: blocks, by: 2) {
                let blockCount = min(2, blocks - firstBlock)
                for block in firstBlock..<(firstBlock + blockCount) {
                    for row in stride(from: 0, to: lastRow, by: 2) {
                        let (first, second) = self.twoRows(input + row * self.inputs, weights + block * self.inputs,
                                                           self.packedBiases[block])
                        self.store(first, row: row, block: block, output, rowStride, columnStride)
                        self.store(second, row: row + 1, block: block, output, rowStride, columnStride)
                    }
                }
                guard lastRow < rows else { continue }
                let x = input + lastRow * self.inputs
                if blockCount == 2 {
                    let (first, second) = self.oneRow(x, weights + firstBlock * self.inputs,
                                                      self.packedBiases[firstBlock], self.packedBiases[firstBlock + 1])
                    self.store(first, row: lastRow, block: firstBlock, output, rowStride, columnStride)
                    self.store(second, row: lastRow, block: firstBlock + 1, output, rowStride, columnStride)
                } else {
                    let sums = self.oneRow(x, weights + firstBlock * self.inputs, self.packedBiases[firstBlock])
                    self.store(sums, row: lastRow, block: firstBlock, output, rowStride, columnStride)
                }
            }
        }
    }

    /// One block of 16 outputs for two consecutive rows: two accumulators share every weight load.
    @inline(__always)
    private func twoRows(_ x: UnsafePointer<Float>, _ weights: UnsafePointer<SIMD16<Float>>, _ bias: SIMD16<Float>)
        -> (SIMD16<Float>, SIMD16<Float>)
    {
        let y = x + self.inputs
        var first = bias
        var second = bias
        for input in 0..<self.inputs {
            let w = weights[input]
            first += w * x[input]
            second += w * y[input]
        }
        return (first, second)
    }

    /// One block of 16 outputs for one row.
    @inline(__always)
    private func oneRow(_ x: UnsafePointer<Float>, _ weights: UnsafePointer<SIMD16<Float>>, _ bias: SIMD16<Float>)
        -> SIMD16<Float>
    {
        var sums = bias
        for input in 0..<self.inputs { sums += weights[input] * x[input] }
        return sums
    }

    /// Two consecutive blocks of 16 outputs for one row.
    @inline(__always)
    private func oneRow(_ x: UnsafePointer<Float>, _ weights: UnsafePointer<SIMD16<Float>>, _ firstBias: SIMD16<Float>,
                        _ secondBias: SIMD16<Float>) -> (SIMD16<Float>, SIMD16<Float>)
    {
        let next = weights + self.inputs
        var first = firstBias
        var second = secondBias
        for input in 0..<self.inputs {
            first += weights[input] * x[input]
            second += next[input] * x[input]
        }
        return (first, second)
    }

    /// Writes the lanes of block `block` of one row's sums that are outputs.
    @inline(__always)
    private func store(_ sums: SIMD16<Float>, row: Int, block: Int, _ output: UnsafeMutablePointer<Float>,
                       _ rowStride: Int, _ columnStride: Int) {
        let base = output + row * rowStride + block * 16 * columnStride
        let lanes = min(16, self.outputs - block * 16)
        if lanes == 16 && columnStride == 1 {
            UnsafeMutableRawPointer(base).storeBytes(of: sums, as: SIMD16<Float>.self)
        } else {
            for lane in 0..<lanes { base[lane * columnStride] = sums[lane] }
        }
    }
}
