// Verifying many transaction signatures on all cores.

internal import Dispatch
import DeAICore
public import Ledger
import Synchronization

/// Verifies the signatures of a batch of transactions on all cores, remembering the valid ones.
///
/// A transaction's hash covers its body (with the sender's key) and its signature, so one found valid stays valid:
/// the transactions a node admitted to its mempool are not verified again when a peer proposes a block of them.
/// The memory holds the hashes of the last ``rememberedCount`` to ``rememberedCount`` × 2 valid transactions.
///
/// Determinism: the result for each transaction depends only on that transaction; the batch is cut into fixed
/// chunks, so the outcome is the same whatever the thread count, and whatever was remembered.
public enum SignatureVerifier {
    /// Valid transactions remembered, per generation.
    public static let rememberedCount = 131_072

    private static let remembered = Mutex(RememberedHashes())

    /// Whether each transaction's signature is valid, in order.
    ///
    /// - Complexity: one Ed25519 verification per transaction not remembered, spread over the active cores.
    public static func verify(_ transactions: [VerifiedTransaction]) -> [Bool] {
        let known = Self.remembered.withLock { remembered in transactions.map { remembered.contains($0.hash) } }
        let chunkSize = 64
        let chunkCount = (transactions.count + chunkSize - 1) / chunkSize
        let results = ResultBuffer(count: transactions.count)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = chunk * chunkSize
            for index in start..<min(start + chunkSize, transactions.count) {
                results.set(index, known[index] || transactions[index].hasValidSignature)
            }
        }
        let valid = results.values
        Self.remembered.withLock { remembered in
            for (index, transaction) in transactions.enumerated() where valid[index] && !known[index] {
                remembered.insert(transaction.hash)
            }
        }
        return valid
    }

    /// Forgets every transaction verified so far (a benchmark that measures verification starts with this).
    public static func forgetVerified() {
        Self.remembered.withLock { $0 = RememberedHashes() }
    }
}

/// Two generations of hashes: when the newer holds ``SignatureVerifier/rememberedCount``, the older is dropped.
private struct RememberedHashes {
    private var newer: Set<SHA256Digest> = []
    private var older: Set<SHA256Digest> = []

    func contains(_ hash: SHA256Digest) -> Bool { self.newer.contains(hash) || self.older.contains(hash) }

    mutating func insert(_ hash: SHA256Digest) {
        if self.newer.count >= SignatureVerifier.rememberedCount {
            self.older = self.newer
            self.newer = []
        }
        self.newer.insert(hash)
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
