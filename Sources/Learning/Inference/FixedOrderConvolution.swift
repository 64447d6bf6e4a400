// FixedOrderConvolution: a 2-D convolution (1-D is the height-1 case) as patches through FixedOrderDense.

/// A convolution layer of ``FixedOrderNetwork``, with the semantics of ``Conv2D`` and ``Conv1D`` (PyTorch's
/// cross-correlation with zero padding): input `[channels, height, width]` per sample, weight
/// `[filters, channels, kh, kw]`, output `[filters, outputHeight, outputWidth]`.
///
/// **Order.** Each output is bias + Σ weight · input over its patch in (channel, kernel row, kernel column)
/// order, left to right, padding taking part as zeros (so 0 · w is added for a padded position): each output
/// position's patch is laid out as one row and multiplied by ``FixedOrderDense``, whose per-output order is that.
struct FixedOrderConvolution: Sendable {
    /// The sizes (``ConvolutionGeometry/batch`` unused: samples are taken one at a time).
    let geometry: ConvolutionGeometry
    /// The filters as a dense layer from a patch (`channels · kh · kw` inputs) to `filters` outputs.
    let filters: FixedOrderDense

    /// A convolution from its geometry and the layer's weight and bias.
    init(geometry: ConvolutionGeometry, weight: ArraySlice<Float>, bias: ArraySlice<Float>) {
        self.geometry = geometry
        self.filters = FixedOrderDense(weight: weight, bias: bias, inputs: geometry.patch, outputs: geometry.filters)
    }

    /// Scalars per sample in and out.
    var inputWidth: Int { self.geometry.channels * self.geometry.height * self.geometry.width }
    var outputWidth: Int { self.geometry.filters * self.geometry.positions }

    /// Applies the layer to `count` samples.
    /// - Complexity: O(count · filters · patch · positions).
    func apply(_ input: UnsafePointer<Float>, count: Int, into output: UnsafeMutablePointer<Float>) {
        let g = self.geometry
        withUnsafeTemporaryAllocation(of: Float.self, capacity: g.positions * g.patch) { patches in
            guard let patches = patches.baseAddress else { return }
            for sample in 0..<count {
                self.unfold(input + sample * self.inputWidth, into: patches)
                // Rows are positions; output [filters, positions] per sample: filter f, position p at f·positions + p.
                self.filters.apply(patches, rows: g.positions, into: output + sample * self.outputWidth, rowStride: 1,
                                   columnStride: g.positions)
            }
        }
    }

    /// Writes the patch of every output position of one sample, position by position, 0 where it falls in the
    /// padding.
    private func unfold(_ x: UnsafePointer<Float>, into patches: UnsafeMutablePointer<Float>) {
        let g = self.geometry
        var target = patches
        for outputRow in 0..<g.outputHeight {
            for outputColumn in 0..<g.outputWidth {
                for channel in 0..<g.channels {
                    let plane = x + channel * g.height * g.width
                    for kernelRow in 0..<g.kernel.height {
                        let inputRow = outputRow * g.stride.height - g.padding.height + kernelRow
                        for kernelColumn in 0..<g.kernel.width {
                            let inputColumn = outputColumn * g.stride.width - g.padding.width + kernelColumn
                            let inside = (0..<g.height).contains(inputRow) && (0..<g.width).contains(inputColumn)
                            target.pointee = inside ? plane[inputRow * g.width + inputColumn] : 0
                            target += 1
                        }
                    }
                }
            }
        }
    }
}
