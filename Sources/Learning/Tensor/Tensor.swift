// Tensor: an n-dimensional float32 array with shape, strides and copy-on-write storage.

/// An n-dimensional array of `Float` with a shape, strides and copy-on-write storage.
///
/// The scalars live in a Swift array (class storage behind this struct, copied only when a shared buffer is
/// written). A tensor may be a view: slicing the first axis, transposing and broadcasting only change `offset`
/// and `strides`. Kernels work on contiguous row-major data and call ``contiguous()`` first, which is free when
/// the tensor already is.
///
/// ```swift
/// let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// let y = try x + Tensor(shape: [3], scalars: [10, 20, 30])   // broadcasting: [[11, 22, 33], [14, 25, 36]]
/// ```
public struct Tensor: Sendable {
    /// The extent of each axis, outermost first.
    public internal(set) var shape: [Int]
    /// The distance in scalars between neighbours along each axis (0 for a broadcast axis).
    public internal(set) var strides: [Int]
    /// The index of element (0, 0, …) in `storage`.
    var offset: Int
    /// The scalars (possibly shared with other tensors, possibly larger than this view).
    var storage: [Float]

    /// A contiguous tensor with the given shape and scalars in row-major order.
    /// - Throws: ``LearningError/scalarCountMismatch(shape:count:)`` when the counts differ.
    public init(shape: [Int], scalars: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == scalars.count else {
            throw LearningError.scalarCountMismatch(shape: shape, count: scalars.count)
        }
        self.init(uncheckedShape: shape, scalars: scalars)
    }

    /// A contiguous tensor whose scalars are known to match the shape (internal fast path).
    init(uncheckedShape shape: [Int], scalars: [Float]) {
        self.shape = shape
        self.strides = Tensor.rowMajorStrides(for: shape)
        self.offset = 0
        self.storage = scalars
    }

    /// A tensor of the given shape filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(uncheckedShape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    /// A rank-0 tensor holding one scalar.
    public init(scalar: Float) {
        self.init(uncheckedShape: [], scalars: [scalar])
    }

    /// A contiguous tensor filled by `body`, which receives an uninitialized buffer of `shape`'s scalar count.
    init(shape: [Int], filling body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let count = shape.reduce(1, *)
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            body(buffer)
            initialized = count
        }
        self.init(uncheckedShape: shape, scalars: scalars)
    }

    /// The number of axes.
    public var rank: Int { self.shape.count }

    /// The number of scalars (the product of the shape).
    public var scalarCount: Int { self.shape.reduce(1, *) }

    /// Whether the tensor is a row-major, gap-free view (possibly at an offset into its storage).
    public var isContiguous: Bool {
        var expected = 1
        for axis in stride(from: self.rank - 1, through: 0, by: -1) where self.shape[axis] != 1 {
            if self.strides[axis] != expected { return false }
            expected *= self.shape[axis]
        }
        return true
    }

    /// The scalars in row-major order.
    /// - Complexity: O(n); no copy of the storage when the tensor is contiguous and unsliced.
    public var scalars: [Float] {
        let dense = self.contiguous()
        if dense.offset == 0, dense.storage.count == dense.scalarCount { return dense.storage }
        return Array(dense.storage[dense.offset..<(dense.offset + dense.scalarCount)])
    }

    /// The single scalar of a one-element tensor.
    public var scalar: Float? {
        self.scalarCount == 1 ? self.storage[self.offset] : nil
    }

    /// A contiguous row-major tensor with the same values (self when already contiguous).
    /// - Complexity: O(n) when a copy is needed, O(rank) otherwise.
    public func contiguous() -> Tensor {
        if self.isContiguous { return self }
        let count = self.scalarCount
        var result = [Float](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: self.rank)
        var source = self.offset
        result.withUnsafeMutableBufferPointer { out in
            self.storage.withUnsafeBufferPointer { input in
                for position in 0..<count {
                    out[position] = input[source]
                    var axis = self.rank - 1
                    while axis >= 0 {
                        index[axis] += 1
                        source += self.strides[axis]
                        if index[axis] < self.shape[axis] { break }
                        source -= self.strides[axis] * self.shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return Tensor(uncheckedShape: self.shape, scalars: result)
    }

    /// Calls `body` with the contiguous scalars of this tensor.
    public func withUnsafeScalars<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        let dense = self.contiguous()
        return try dense.storage.withUnsafeBufferPointer { buffer in
            try body(UnsafeBufferPointer(rebasing: buffer[dense.offset..<(dense.offset + dense.scalarCount)]))
        }
    }

    /// Calls `body` with the contiguous scalars of this tensor for writing (copying shared storage first).
    public mutating func withUnsafeMutableScalars<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !self.isContiguous || self.offset != 0 || self.storage.count != self.scalarCount {
            self = Tensor(uncheckedShape: self.shape, scalars: self.scalars)
        }
        return try self.storage.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// Row-major strides for a shape.
    static func rowMajorStrides(for shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }
}

// MARK: - Equatable

extension Tensor: Equatable {
    /// Tensors are equal when their shapes and scalars are (bitwise `==` on each scalar).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
    }
}

// MARK: - CustomStringConvertible

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = self.scalars
        let shown = values.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(self.shape), [\(shown)\(values.count > 8 ? ", …" : "")])"
    }
}
