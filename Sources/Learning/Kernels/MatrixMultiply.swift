// MatrixMultiply: the multi-threaded, deterministic float32 GEMM over the C micro-kernels.

import CLearningKernels

/// A strided view of a float32 matrix in memory: element (i, j) is at `base[i * rowStride + j * columnStride]`.
///
/// Transposing is swapping the strides, so every transpose case of GEMM goes through one kernel.
struct MatrixView {
    var base: UnsafePointer<Float>
    var rows: Int
    var columns: Int
    var rowStride: Int
    var columnStride: Int
}

/// The float32 matrix multiply used by every layer.
public enum MatrixMultiply {
    /// C (m x n, row stride ldc) = A x B, or C += A x B when `accumulate` is true.
    ///
    /// The output is cut into chunks of rows (or columns, when C is wide), one per thread; each chunk is one call
    /// of the C kernel, whose per-element summation order depends only on k and never on where a chunk starts or
    /// ends. The result is therefore bit-identical for any thread count, although the chunking follows it.
    /// - Complexity: O(m·n·k) time; O(KC·(MC + NC)) packing memory per thread.
    static func multiply(_ a: MatrixView, _ b: MatrixView, into c: UnsafeMutablePointer<Float>, ldc: Int,
                         accumulate: Bool) {
        let m = a.rows
        let n = b.columns
        let k = a.columns
        precondition(b.rows == k, "internal inconsistency in MatrixMultiply: inner dimensions differ")
        let work = m * n * k
        let chunkCount = work < Parallelism.minimumParallelWork ? 1 : Parallelism.threadCount
        let splitRows = m >= n
        let extent = splitRows ? m : n
        let granule = splitRows ? 12 : 32  // multiples of every variant's MR (12, 6, 4) and NR (32, 16, 16)
        let perChunk = max(granule, (extent / chunkCount + granule - 1) / granule * granule)
        let chunks = (extent + perChunk - 1) / perChunk
        let variant = KernelVariant.current.cValue
        if splitRows && chunks > 1 {
            self.multiplySharingB(a, b, into: c, ldc: ldc, accumulate: accumulate, rowsPerChunk: perChunk,
                                  chunks: chunks, work: work, variant: variant)
            return
        }
        Parallelism.forEachChunk(chunks, work: work) { chunk in
            let start = chunk * perChunk
            let count = min(perChunk, extent - start)
            if splitRows {
                deai_sgemm(count, n, k, a.base + start * a.rowStride, a.rowStride, a.columnStride,
                           b.base, b.rowStride, b.columnStride, c + start * ldc, ldc, accumulate ? 1 : 0, variant)
            } else {
                deai_sgemm(m, count, k, a.base, a.rowStride, a.columnStride,
                           b.base + start * b.columnStride, b.rowStride, b.columnStride, c + start, ldc,
                           accumulate ? 1 : 0, variant)
            }
        }
    }

    /// The row-split case: B is packed once, its panels split among the threads, then every thread multiplies
    /// its rows of A by the shared packed B. Same bits as ``multiply(_:_:into:ldc:accumulate:)`` on one thread.
    private static func multiplySharingB(_ a: MatrixView, _ b: MatrixView, into c: UnsafeMutablePointer<Float>,
                                         ldc: Int, accumulate: Bool, rowsPerChunk: Int, chunks: Int, work: Int,
                                         variant: deai_kernel_variant) {
        let (m, n, k) = (a.rows, b.columns, a.columns)
        let packed = UnsafeMutablePointer<Float>.allocate(capacity: deai_sgemm_packed_b_count(n, k, variant))
        defer { packed.deallocate() }
        let columnsPerChunk = ((n + chunks - 1) / chunks + 31) / 32 * 32
        Parallelism.forEachChunk(chunks, work: work) { chunk in
            deai_sgemm_pack_b(n, k, b.base, b.rowStride, b.columnStride, chunk * columnsPerChunk,
                              (chunk + 1) * columnsPerChunk, packed, variant)
        }
        Parallelism.forEachChunk(chunks, work: work) { chunk in
            let start = chunk * rowsPerChunk
            let count = min(rowsPerChunk, m - start)
            deai_sgemm_packed(count, n, k, a.base + start * a.rowStride, a.rowStride, a.columnStride, packed,
                              c + start * ldc, ldc, accumulate ? 1 : 0, variant)
        }
    }

    /// C = A x B for row-major buffers (A: m x k, B: k x n, C: m x n); the public entry point of benchmarks.
    /// - Complexity: O(m·n·k).
    public static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                                c: UnsafeMutablePointer<Float>) {
        self.multiply(MatrixView(base: a, rows: m, columns: k, rowStride: k, columnStride: 1),
                      MatrixView(base: b, rows: k, columns: n, rowStride: n, columnStride: 1),
                      into: c, ldc: n, accumulate: false)
    }
}
