// Tests of Tensor: shapes, views, copy-on-write, broadcasting, reductions.

import Foundation
import Learning
import Testing

@Suite("Tensor")
struct TensorTests {
    @Test("scalar count must match the shape")
    func scalarCountChecked() {
        #expect(throws: LearningError.scalarCountMismatch(shape: [2, 2], count: 3)) {
            try Tensor(shape: [2, 2], scalars: [1, 2, 3])
        }
    }

    @Test("broadcasting adds a row to every row")
    func broadcastAdd() throws {
        let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let y = try x + Tensor(shape: [3], scalars: [10, 20, 30])
        #expect(y.shape == [2, 3])
        #expect(y.scalars == [11, 22, 33, 14, 25, 36])
        let z = try x * Tensor(shape: [2, 1], scalars: [2, 3])
        #expect(z.scalars == [2, 4, 6, 12, 15, 18])
    }

    @Test("incompatible shapes are rejected with both shapes")
    func notBroadcastable() throws {
        let x = Tensor(zeros: [2, 3])
        #expect(throws: LearningError.notBroadcastable(operation: "add", lhs: [2, 3], rhs: [2])) {
            try x + Tensor(zeros: [2])
        }
    }

    @Test("slices and transposes are views; writes copy on write")
    func viewsAndCopyOnWrite() throws {
        let x = try Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        let rows = try x.slice(1..<3)
        #expect(rows.scalars == [3, 4, 5, 6])
        let t = try x.transposed()
        #expect(t.shape == [2, 3])
        #expect(!t.isContiguous)
        #expect(t.scalars == [1, 3, 5, 2, 4, 6])
        var copy = x
        copy.withUnsafeMutableScalars { $0[0] = 100 }
        #expect(x.scalars[0] == 1)
        #expect(copy.scalars[0] == 100)
    }

    @Test("gathering rows builds a batch in the given order")
    func gatherRows() throws {
        let x = try Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        #expect(try x.gatherRows([2, 0]).scalars == [5, 6, 1, 2])
        #expect(throws: LearningError.self) { try x.gatherRows([3]) }
    }

    @Test("sum to shape undoes a broadcast")
    func sumToShape() throws {
        let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(try x.sum(toShape: [3]).scalars == [5, 7, 9])
        #expect(try x.sum(toShape: [2, 1]).scalars == [6, 15])
        #expect(try x.sum(alongAxis: 1).scalars == [6, 15])
        #expect(try x.reshaped([3, 2]).argmaxRows() == [1, 1, 1])
    }

    @Test("softmax rows sum to one and log-softmax matches its log")
    func softmax() throws {
        let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 1000, 1000, 1000])
        let s = Softmax.softmax(x).scalars
        #expect(abs(s[0] + s[1] + s[2] - 1) < 1e-6)
        #expect(abs(s[3] - 1.0 / 3) < 1e-6)
        let l = Softmax.logSoftmax(x).scalars
        #expect(abs(Double(l[2]) - Foundation.log(Double(s[2]))) < 1e-5)
    }
}
