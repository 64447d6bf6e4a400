// Convolution: 2-D convolution (1-D is the height-1 case) as im2col + GEMM, forward and backward.

import CLearningKernels

/// The sizes of one 2-D convolution: input `[batch, channels, height, width]`, weight
/// `[filters, channels, kernelHeight, kernelWidth]`, output `[batch, filters, outputHeight, outputWidth]`.
public struct ConvolutionGeometry: Sendable, Equatable {
    /// Samples in the batch.
    public var batch: Int
    /// Input channels.
    public var channels: Int
    /// Input height (1 for a 1-D convolution).
    public var height: Int
    /// Input width (the length for a 1-D convolution).
    public var width: Int
    /// Output channels.
    public var filters: Int
    /// Kernel height and width.
    public var kernel: (height: Int, width: Int)
    /// Stride along height and width.
    public var stride: (height: Int, width: Int)
    /// Zero padding on each side along height and width.
    public var padding: (height: Int, width: Int)

    /// Output height: ⌊(H + 2·ph − kh) / sh⌋ + 1.
    public var outputHeight: Int { (self.height + 2 * self.padding.height - self.kernel.height) / self.stride.height + 1 }
    /// Output width: ⌊(W + 2·pw − kw) / sw⌋ + 1.
    public var outputWidth: Int { (self.width + 2 * self.padding.width - self.kernel.width) / self.stride.width + 1 }
    /// Output positions per sample and filter.
    var positions: Int { self.outputHeight * self.outputWidth }
    /// Rows of the unfolded input: channels × kernel height × kernel width.
    var patch: Int { self.channels * self.kernel.height * self.kernel.width }

    public static func == (lhs: ConvolutionGeometry, rhs: ConvolutionGeometry) -> Bool {
        lhs.batch == rhs.batch && lhs.channels == rhs.channels && lhs.height == rhs.height && lhs.width == rhs.width
            && lhs.filters == rhs.filters && lhs.kernel == rhs.kernel && lhs.stride == rhs.stride
            && lhs.padding == rhs.padding
    }

    /// Checks the geometry describes a valid convolution.
    /// - Throws: ``LearningError/invalidArgument(operation:reason:)``.
    func validate() throws {
        guard self.kernel.height > 0, self.kernel.width > 0, self.stride.height > 0, self.stride.width > 0,
            self.padding.height >= 0, self.padding.width >= 0, self.outputHeight > 0, self.outputWidth > 0
        else {
            throw LearningError.invalidArgument(operation: "convolution",
                                                reason: "kernel \(self.kernel) stride \(self.stride) padding \(self.padding) do not fit input \(self.height)x\(self.width)")
        }
    }
}

/// Convolution kernels over contiguous float32 buffers.
enum Convolution {
    /// The output `[B, F, OH, OW]` and the unfolded input `[C·kh·kw, B·OH·OW]` (kept for the backward pass).
    /// - Complexity: O(B·F·C·kh·kw·OH·OW) in one GEMM, plus O(B·C·kh·kw·OH·OW) for the unfolding.
    static func forward(input: Tensor, weight: Tensor, bias: Tensor?, geometry g: ConvolutionGeometry)
        -> (output: Tensor, columns: Tensor)
    {
        let columnsWidth = g.batch * g.positions
        let columns = Tensor(shape: [g.patch, columnsWidth]) { cols in
            input.withUnsafeScalars { x in
                guard let base = cols.baseAddress, let source = x.baseAddress else { return }
                let status = deai_im2col(source, g.batch, g.channels, g.height, g.width, g.kernel.height,
                                         g.kernel.width, g.stride.height, g.stride.width, g.padding.height,
                                         g.padding.width, g.outputHeight, g.outputWidth, base)
                precondition(status == 0, "Convolution: out of memory for the im2col index table")
            }
        }
        let product = Tensor.product(weight.viewed(as: [g.filters, g.patch]), columns)
        let biases = bias?.scalars
        let output = product.withUnsafeScalars { y in
            Tensor(shape: [g.batch, g.filters, g.outputHeight, g.outputWidth]) { out in
                deai_columns_to_batch(y.baseAddress, biases, g.batch, g.filters, g.positions, out.baseAddress)
            }
        }
        return (output, columns)
    }

    /// The gradients of input (when `needsInput`), weight (when `needsWeight`) and bias given the output gradient
    /// `[B, F, OH, OW]`.
    /// - Complexity: up to two GEMMs of the forward pass's size, plus the folding back.
    static func backward(gradient: Tensor, columns: Tensor, weight: Tensor, geometry g: ConvolutionGeometry,
                         needsInput: Bool, needsWeight: Bool = true) -> (input: Tensor?, weight: Tensor?, bias: Tensor) {
        let columnsWidth = g.batch * g.positions
        var biasGradient = [Float](repeating: 0, count: g.filters)
        let permuted = gradient.withUnsafeScalars { dy in
            Tensor(shape: [g.filters, columnsWidth]) { out in
                biasGradient.withUnsafeMutableBufferPointer { db in
                    deai_batch_to_columns(dy.baseAddress, g.batch, g.filters, g.positions, out.baseAddress, db.baseAddress)
                }
            }
        }
        let flatWeight = weight.viewed(as: [g.filters, g.patch])
        let weightGradient = needsWeight ? Tensor.product(permuted, columns.matrixTranspose).viewed(as: weight.shape) : nil
        var inputGradient: Tensor?
        if needsInput {
            let columnsGradient = Tensor.product(flatWeight.matrixTranspose, permuted)
            inputGradient = columnsGradient.withUnsafeScalars { dcols in
                Tensor(repeating: 0, shape: [g.batch, g.channels, g.height, g.width]).filled { dx in
                    guard let base = dx.baseAddress, let source = dcols.baseAddress else { return }
                    let status = deai_col2im(source, g.batch, g.channels, g.height, g.width, g.kernel.height,
                                             g.kernel.width, g.stride.height, g.stride.width, g.padding.height,
                                             g.padding.width, g.outputHeight, g.outputWidth, base)
                    precondition(status == 0, "Convolution: out of memory for the col2im index table")
                }
            }
        }
        return (inputGradient, weightGradient, Tensor(uncheckedShape: [g.filters], scalars: biasGradient))
    }
}

extension Tensor {
    /// This tensor after `body` wrote into its contiguous scalars.
    consuming func filled(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) -> Tensor {
        var result = self
        result.withUnsafeMutableScalars(body)
        return result
    }
}
