// Tensor+Indexing: reshaping, slicing, transposing, broadcasting views and gathering rows into batches.

extension Tensor {
    /// The same scalars with another shape of equal scalar count.
    /// - Throws: ``LearningError/scalarCountMismatch(shape:count:)``.
    /// - Complexity: O(1) for a contiguous tensor, O(n) otherwise.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        guard newShape.allSatisfy({ $0 >= 0 }), newShape.reduce(1, *) == self.scalarCount else {
            throw LearningError.scalarCountMismatch(shape: newShape, count: self.scalarCount)
        }
        var result = self.contiguous()
        result.shape = newShape
        result.strides = Tensor.rowMajorStrides(for: newShape)
        return result
    }

    /// A view of rows `range` of the first axis (no copy).
    /// - Throws: ``LearningError/invalidArgument(operation:reason:)`` when the range is out of bounds.
    /// - Complexity: O(rank).
    public func slice(_ range: Range<Int>) throws -> Tensor {
        guard self.rank > 0, range.lowerBound >= 0, range.upperBound <= self.shape[0] else {
            throw LearningError.invalidArgument(operation: "slice", reason: "range \(range) outside \(self.shape)")
        }
        var result = self
        result.offset += range.lowerBound * (self.rank > 0 ? self.strides[0] : 0)
        result.shape[0] = range.count
        return result
    }

    /// A view with axes `first` and `second` swapped (no copy).
    /// - Throws: ``LearningError/invalidArgument(operation:reason:)`` for an axis out of range.
    public func transposed(_ first: Int = 0, _ second: Int = 1) throws -> Tensor {
        guard first >= 0, second >= 0, first < self.rank, second < self.rank else {
            throw LearningError.invalidArgument(operation: "transposed", reason: "axes \(first), \(second) of rank \(self.rank)")
        }
        var result = self
        result.shape.swapAt(first, second)
        result.strides.swapAt(first, second)
        return result
    }

    /// A view of this tensor broadcast to `target` (stride 0 along repeated axes; no copy).
    /// - Throws: ``LearningError/notBroadcastable(operation:lhs:rhs:)``.
    public func broadcast(to target: [Int]) throws -> Tensor {
        guard target.count >= self.rank else {
            throw LearningError.notBroadcastable(operation: "broadcast", lhs: self.shape, rhs: target)
        }
        let lead = target.count - self.rank
        var strides = [Int](repeating: 0, count: target.count)
        for axis in 0..<self.rank {
            let extent = self.shape[axis]
            if extent == target[lead + axis] {
                strides[lead + axis] = extent == 1 ? 0 : self.strides[axis]
            } else if extent == 1 {
                strides[lead + axis] = 0
            } else {
                throw LearningError.notBroadcastable(operation: "broadcast", lhs: self.shape, rhs: target)
            }
        }
        var result = self
        result.shape = target
        result.strides = strides
        return result
    }

    /// The shape two shapes broadcast to (NumPy rules: align trailing axes; extents equal or 1).
    /// - Throws: ``LearningError/notBroadcastable(operation:lhs:rhs:)``.
    public static func broadcastShape(_ lhs: [Int], _ rhs: [Int], operation: String = "broadcast") throws -> [Int] {
        let rank = max(lhs.count, rhs.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let l = axis < rank - lhs.count ? 1 : lhs[axis - (rank - lhs.count)]
            let r = axis < rank - rhs.count ? 1 : rhs[axis - (rank - rhs.count)]
            guard l == r || l == 1 || r == 1 else {
                throw LearningError.notBroadcastable(operation: operation, lhs: lhs, rhs: rhs)
            }
            result[axis] = l == 1 ? r : l
        }
        return result
    }

    /// A new tensor made of the given rows of the first axis, in order: how mini-batches are cut.
    /// - Throws: ``LearningError/invalidArgument(operation:reason:)`` for an index out of range.
    /// - Complexity: O(indices.count × row size).
    public func gatherRows(_ indices: some Collection<Int>) throws -> Tensor {
        guard self.rank > 0 else {
            throw LearningError.rankMismatch(operation: "gatherRows", expected: 1, actual: 0)
        }
        let rows = self.shape[0]
        guard indices.allSatisfy({ $0 >= 0 && $0 < rows }) else {
            throw LearningError.invalidArgument(operation: "gatherRows", reason: "index outside 0..<\(rows)")
        }
        let dense = self.contiguous()
        let width = dense.scalarCount / max(rows, 1)
        var shape = dense.shape
        shape[0] = indices.count
        return dense.storage.withUnsafeBufferPointer { source in
            Tensor(shape: shape) { out in
                var position = 0
                for row in indices {
                    let start = dense.offset + row * width
                    for column in 0..<width { out[position + column] = source[start + column] }
                    position += width
                }
            }
        }
    }
}

// MARK: - Internal views whose validity the caller has already checked

extension Tensor {
    /// The same contiguous scalars with a shape of equal count (checked by the caller).
    func viewed(as newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == self.scalarCount, "internal inconsistency in Tensor.viewed(as:)")
        var result = self.contiguous()
        result.shape = newShape
        result.strides = Tensor.rowMajorStrides(for: newShape)
        return result
    }

    /// The transpose of a rank-2 tensor (a view).
    var matrixTranspose: Tensor {
        precondition(self.rank == 2, "internal inconsistency in Tensor.matrixTranspose")
        var result = self
        result.shape.swapAt(0, 1)
        result.strides.swapAt(0, 1)
        return result
    }
}
