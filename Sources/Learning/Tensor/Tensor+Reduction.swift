// Tensor+Reduction: sums, means, maxima and arg-maxima.

extension Tensor {
    /// The sum of all scalars, accumulated in Float64.
    /// - Complexity: O(n).
    public func sum() -> Double {
        self.withUnsafeScalars { values in values.reduce(0.0) { $0 + Double($1) } }
    }

    /// The mean of all scalars, accumulated in Float64.
    public func mean() -> Double {
        self.scalarCount == 0 ? 0 : self.sum() / Double(self.scalarCount)
    }

    /// The sum along `axis`, which is removed from the shape.
    /// - Throws: ``LearningError/invalidArgument(operation:reason:)`` for an axis out of range.
    /// - Complexity: O(n).
    public func sum(alongAxis axis: Int) throws -> Tensor {
        guard axis >= 0, axis < self.rank else {
            throw LearningError.invalidArgument(operation: "sum", reason: "axis \(axis) of rank \(self.rank)")
        }
        let outer = self.shape[..<axis].reduce(1, *)
        let extent = self.shape[axis]
        let inner = self.shape[(axis + 1)...].reduce(1, *)
        var shape = self.shape
        shape.remove(at: axis)
        return self.withUnsafeScalars { input in
            Tensor(shape: shape) { out in
                for o in 0..<outer {
                    for i in 0..<inner { out[o * inner + i] = 0 }
                    for e in 0..<extent {
                        let base = (o * extent + e) * inner
                        for i in 0..<inner { out[o * inner + i] += input[base + i] }
                    }
                }
            }
        }
    }

    /// Sums this tensor down to `target`, undoing a broadcast from `target` to this tensor's shape.
    /// - Throws: ``LearningError/notBroadcastable(operation:lhs:rhs:)`` when `target` does not broadcast here.
    /// - Complexity: O(n·rank).
    public func sum(toShape target: [Int]) throws -> Tensor {
        if target == self.shape { return self }
        guard try Tensor.broadcastShape(target, self.shape, operation: "sumToShape") == self.shape else {
            throw LearningError.notBroadcastable(operation: "sumToShape", lhs: self.shape, rhs: target)
        }
        let lead = self.rank - target.count
        var targetStrides = [Int](repeating: 0, count: self.rank)
        let rowMajor = Tensor.rowMajorStrides(for: target)
        for axis in 0..<target.count where target[axis] != 1 {
            targetStrides[lead + axis] = rowMajor[axis]
        }
        var result = [Float](repeating: 0, count: target.reduce(1, *))
        self.withUnsafeScalars { input in
            var index = [Int](repeating: 0, count: self.rank)
            var destination = 0
            for position in 0..<input.count {
                result[destination] += input[position]
                var axis = self.rank - 1
                while axis >= 0 {
                    index[axis] += 1
                    destination += targetStrides[axis]
                    if index[axis] < self.shape[axis] { break }
                    destination -= targetStrides[axis] * self.shape[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
        return Tensor(uncheckedShape: target, scalars: result)
    }

    /// The index of the largest scalar of each row of a rank-2 tensor (first one on ties).
    /// - Throws: ``LearningError/rankMismatch(operation:expected:actual:)``.
    /// - Complexity: O(n).
    public func argmaxRows() throws -> [Int] {
        guard self.rank == 2 else {
            throw LearningError.rankMismatch(operation: "argmaxRows", expected: 2, actual: self.rank)
        }
        let rows = self.shape[0]
        let columns = self.shape[1]
        return self.withUnsafeScalars { values in
            (0..<rows).map { row in
                var best = 0
                for column in 1..<max(columns, 1) where values[row * columns + column] > values[row * columns + best] {
                    best = column
                }
                return best
            }
        }
    }
}
