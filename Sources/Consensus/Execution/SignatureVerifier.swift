// Verifying many transaction signatures on all cores.

internal import Dispatch
public import Ledger

/// Verifies the signatures of a batch of transactions on all cores.
///
/// Determinism: the result for each transaction depends only on that transaction; the batch is cut into fixed
/// chunks, so the outcome is the same whatever the thread count.
public enum SignatureVerifier {
    /// Whether each transaction's signature is valid, in order.
    ///
    /// - Complexity: one Ed25519 verification per transaction, spread over the active cores.
    public static func verify(_ transactions: [VerifiedTransaction]) -> [Bool] {
        let chunkSize = 64
        let chunkCount = (transactions.count + chunkSize - 1) / chunkSize
        let results = ResultBuffer(count: transactions.count)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = chunk * chunkSize
            for index in start..<min(start + chunkSize, transactions.count) {
                results.set(index, transactions[index].hasValidSignature)
            }
        }
        return results.values
    }
}

/// A fixed-size buffer each index of which is written by exactly one chunk.
///
/// `@unchecked Sendable`: concurrent writers touch disjoint indices of raw memory (no exclusivity check on a
/// shared array), and the buffer is read only after `concurrentPerform` returns, which orders every write before
/// the read.
private final class ResultBuffer: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Bool>

    init(count: Int) {
        self.storage = .allocate(capacity: count)
        self.storage.initialize(repeating: false)
    }

    deinit { self.storage.deallocate() }

    func set(_ index: Int, _ value: Bool) { self.storage[index] = value }

    var values: [Bool] { Array(self.storage) }
}
