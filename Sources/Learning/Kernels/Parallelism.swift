// Parallelism: how many threads the kernels use, and the fixed-chunk parallel loop they share.

import Dispatch
import Foundation

/// The number of threads Learning's kernels may use, and the fixed-chunk loop that uses them.
///
/// Kernels cut their work into chunks whose boundaries depend only on the problem size, and every chunk writes
/// its own part of the output. Results are therefore bit-identical for any thread count: the thread count only
/// decides how many chunks run at the same time.
///
/// The count is a task-local value, so a test or a caller can change it for one piece of work without affecting
/// others running concurrently:
/// ```swift
/// Parallelism.$threadCount.withValue(1) { model.train(...) }
/// ```
public enum Parallelism {
    /// Threads the kernels may use in the current task (default: the active processor count).
    @TaskLocal public static var threadCount: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Work (in multiply-adds or element operations) below which a kernel runs on the calling thread only:
    /// starting threads costs more than the work.
    public static let minimumParallelWork = 1 << 17

    /// Runs `body(chunk)` for every chunk in `0..<chunks`, spreading chunks over up to `threadCount` threads.
    ///
    /// Each chunk must write a disjoint part of the output; the order in which chunks run is unspecified.
    /// - Parameters:
    ///   - chunks: the number of fixed chunks.
    ///   - work: an estimate of the total work, used to stay on one thread for small problems.
    ///   - body: the work of one chunk.
    /// - Complexity: O(`chunks`) calls of `body`, plus one dispatch when running in parallel.
    static func forEachChunk(_ chunks: Int, work: Int, _ body: (Int) -> Void) {
        let threads = min(self.threadCount, chunks)
        if threads <= 1 || work < self.minimumParallelWork {
            for chunk in 0..<chunks { body(chunk) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = ChunkBody(body: body)
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                var chunk = worker
                while chunk < chunks {
                    box.body(chunk)
                    chunk += threads
                }
            }
        }
    }
}

/// Carries a chunk closure into `concurrentPerform`.
///
/// `@unchecked Sendable`: every chunk writes a disjoint part of the output, and `forEachChunk` returns only after
/// all chunks finished, so the closure's captures are never accessed concurrently in conflicting ways.
private struct ChunkBody: @unchecked Sendable {
    let body: (Int) -> Void
}
