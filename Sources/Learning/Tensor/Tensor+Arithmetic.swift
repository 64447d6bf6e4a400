// Tensor+Arithmetic: elementwise maps and broadcasting binary operations.

extension Tensor {
    /// A tensor of `transform` applied to every scalar.
    /// - Complexity: O(n).
    public func map(_ transform: (Float) -> Float) -> Tensor {
        self.withUnsafeScalars { input in
            Tensor(shape: self.shape) { out in
                for index in 0..<input.count { out[index] = transform(input[index]) }
            }
        }
    }

    /// Combines two tensors elementwise after broadcasting them to a common shape.
    /// - Throws: ``LearningError/notBroadcastable(operation:lhs:rhs:)``.
    /// - Complexity: O(n) in the broadcast shape.
    public static func zip(_ lhs: Tensor, _ rhs: Tensor, operation: String = "zip",
                           _ combine: (Float, Float) -> Float) throws -> Tensor {
        let shape = lhs.shape == rhs.shape ? lhs.shape : try broadcastShape(lhs.shape, rhs.shape, operation: operation)
        let left = lhs.shape == shape ? lhs : try lhs.broadcast(to: shape)
        let right = rhs.shape == shape ? rhs : try rhs.broadcast(to: shape)
        return left.withUnsafeScalars { a in
            right.withUnsafeScalars { b in
                Tensor(shape: shape) { out in
                    for index in 0..<out.count { out[index] = combine(a[index], b[index]) }
                }
            }
        }
    }

    /// Elementwise sum with broadcasting.
    public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor { try zip(lhs, rhs, operation: "add", +) }
    /// Elementwise difference with broadcasting.
    public static func - (lhs: Tensor, rhs: Tensor) throws -> Tensor { try zip(lhs, rhs, operation: "subtract", -) }
    /// Elementwise product with broadcasting.
    public static func * (lhs: Tensor, rhs: Tensor) throws -> Tensor { try zip(lhs, rhs, operation: "multiply", *) }
    /// Elementwise quotient with broadcasting.
    public static func / (lhs: Tensor, rhs: Tensor) throws -> Tensor { try zip(lhs, rhs, operation: "divide", /) }

    /// Every scalar multiplied by `factor`.
    public static func * (lhs: Tensor, factor: Float) -> Tensor { lhs.map { $0 * factor } }

    /// Adds `other × factor` to this tensor in place (shapes must match).
    /// - Throws: ``LearningError/shapeMismatch(operation:expected:actual:)``.
    /// - Complexity: O(n).
    public mutating func add(_ other: Tensor, scaledBy factor: Float = 1) throws {
        guard other.shape == self.shape else {
            throw LearningError.shapeMismatch(operation: "add", expected: self.shape, actual: other.shape)
        }
        other.withUnsafeScalars { source in
            self.withUnsafeMutableScalars { target in
                if factor == 1 {
                    for index in 0..<target.count { target[index] += source[index] }
                } else {
                    for index in 0..<target.count { target[index] += source[index] * factor }
                }
            }
        }
    }

    /// The matrix product of two rank-2 tensors.
    /// - Throws: ``LearningError/rankMismatch(operation:expected:actual:)`` or
    ///   ``LearningError/shapeMismatch(operation:expected:actual:)``.
    /// - Complexity: O(m·n·k), on ``Parallelism/threadCount`` threads.
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard self.rank == 2 else { throw LearningError.rankMismatch(operation: "matmul", expected: 2, actual: self.rank) }
        guard other.rank == 2 else {
            throw LearningError.rankMismatch(operation: "matmul", expected: 2, actual: other.rank)
        }
        guard self.shape[1] == other.shape[0] else {
            throw LearningError.shapeMismatch(operation: "matmul", expected: [self.shape[1], other.shape[1]],
                                              actual: other.shape)
        }
        return Tensor.product(self, other)
    }

    /// The product of two rank-2 tensors of matching inner extent, honouring their strides (no transpose copies).
    static func product(_ a: Tensor, _ b: Tensor) -> Tensor {
        var result = Tensor(zeros: [a.shape[0], b.shape[1]])
        result.multiplyAdd(a, b)
        return result
    }

    /// self (rank 2, m × n) += a (m × k) · b (k × n), reading a and b through their strides.
    mutating func multiplyAdd(_ a: Tensor, _ b: Tensor) {
        let n = self.shape[1]
        a.withMatrixView { left in
            b.withMatrixView { right in
                self.withUnsafeMutableScalars { out in
                    guard let left, let right, let base = out.baseAddress else { return }
                    MatrixMultiply.multiply(left, right, into: base, ldc: n, accumulate: true)
                }
            }
        }
    }

    /// Calls `body` with a matrix view of this rank-2 tensor, without copying when its strides allow it
    /// (nil for an empty tensor).
    func withMatrixView<R>(_ body: (MatrixView?) -> R) -> R {
        let usable = self.strides.allSatisfy { $0 != 0 }
        let source = usable ? self : self.contiguous()
        return source.storage.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, source.scalarCount > 0 else { return body(nil) }
            return body(MatrixView(base: base + source.offset, rows: source.shape[0], columns: source.shape[1],
                                   rowStride: source.strides[0], columnStride: source.strides[1]))
        }
    }
}
