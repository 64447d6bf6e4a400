// Tests of the GEMM kernels: correctness against a Float64 reference, every transpose, every CPU variant,
// and bit-identical results for any thread count.

import Learning
import Testing

@Suite("Matrix multiply")
struct MatrixMultiplyTests {
    /// The product in Float64, for reference.
    private func reference(_ a: Tensor, _ b: Tensor) -> [Double] {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        let (x, y) = (a.scalars, b.scalars)
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for p in 0..<k {
                for j in 0..<n { c[i * n + j] += Double(x[i * k + p]) * Double(y[p * n + j]) }
            }
        }
        return c
    }

    @Test("matches a Float64 reference", arguments: [(1, 1, 1), (5, 7, 3), (13, 33, 17), (50, 70, 300), (97, 129, 513)])
    func matchesReference(size: (Int, Int, Int)) throws {
        let (m, n, k) = size
        let a = try randomTensor([m, k], seed: 1)
        let b = try randomTensor([k, n], seed: 2)
        let c = try a.matmul(b).scalars
        let expected = self.reference(a, b)
        for index in c.indices {
            #expect(abs(Double(c[index]) - expected[index]) <= 1e-5 * Double(k), "element \(index)")
        }
    }

    @Test("transposed operands are read through their strides")
    func transposedOperands() throws {
        let a = try randomTensor([40, 30], seed: 3)
        let b = try randomTensor([50, 40], seed: 4)
        let c = try a.transposed().matmul(b.transposed())  // [30, 50]
        let expected = self.reference(try a.transposed().contiguous(), try b.transposed().contiguous())
        let values = c.scalars
        for index in values.indices { #expect(abs(Double(values[index]) - expected[index]) < 1e-4) }
    }

    @Test("bit-identical for 1, 2 and 3 threads")
    func threadCountDoesNotChangeBits() throws {
        let a = try randomTensor([300, 700], seed: 5)
        let b = try randomTensor([700, 260], seed: 6)
        let results = try [1, 2, 3].map { threads in
            try Parallelism.$threadCount.withValue(threads) { try a.matmul(b).scalars }
        }
        #expect(results[0] == results[1])
        #expect(results[0] == results[2])
    }

    @Test("every kernel variant this CPU supports is correct, on 1 and 2 threads, wide and tall")
    func everyVariant() throws {
        for (m, n) in [(37, 45), (90, 45)] {
            let a = try randomTensor([m, 300], seed: 7)
            let b = try randomTensor([300, n], seed: 8)
            let expected = self.reference(a, b)
            for variant in KernelVariant.supported {
                let results = try [1, 2].map { threads in
                    try Parallelism.$threadCount.withValue(threads) {
                        try KernelVariant.withVariant(variant) { try a.matmul(b).scalars }
                    }
                }
                #expect(results[0] == results[1], "variant \(variant): 1 and 2 threads differ")
                for index in results[0].indices {
                    #expect(abs(Double(results[0][index]) - expected[index]) < 1e-3, "variant \(variant) element \(index)")
                }
            }
        }
    }
}
