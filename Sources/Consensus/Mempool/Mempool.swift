// Transactions waiting for a block.

public import DeAICore
public import Ledger

/// Limits of the mempool.
public struct MempoolConfiguration: Sendable, Hashable {
    /// Most transactions waiting at once.
    public var maxTransactions: Int
    /// Most bytes (canonical encodings) waiting at once.
    public var maxBytes: Int

    /// Limits with defaults: 50,000 transactions, 64 MiB.
    public init(maxTransactions: Int = 50_000, maxBytes: Int = 64 << 20) {
        self.maxTransactions = maxTransactions
        self.maxBytes = maxBytes
    }
}

/// Verified transactions waiting for a block, bounded in count and bytes.
///
/// Each sender's transactions are kept in nonce order with no gap. ``reap(max:)`` hands them out highest fee
/// first across senders (ties by arrival), never reordering one sender's nonces.
public struct Mempool: Sendable {
    private struct Entry: Sendable {
        var transaction: VerifiedTransaction
        var arrival: UInt64
    }

    /// The limits.
    public let configuration: MempoolConfiguration
    private var queues: [Address: [Entry]] = [:]
    private var hashes: Set<SHA256Digest> = []
    private var nextArrival: UInt64 = 0
    /// Bytes waiting.
    public private(set) var byteCount = 0

    /// An empty mempool with `configuration`'s limits.
    public init(configuration: MempoolConfiguration = MempoolConfiguration()) {
        self.configuration = configuration
    }

    /// Transactions waiting.
    public var count: Int { self.hashes.count }

    /// Whether a transaction is waiting.
    public func contains(_ hash: SHA256Digest) -> Bool { self.hashes.contains(hash) }

    /// How many of `sender`'s transactions are waiting: its next nonce is its account nonce plus this.
    public func pendingCount(of sender: Address) -> Int { self.queues[sender]?.count ?? 0 }

    /// The fees `sender`'s waiting transactions will spend, so admission checks the balance left after them.
    public func pendingFees(of sender: Address) -> Amount {
        self.queues[sender]?.reduce(0) { $0 &+ $1.transaction.transaction.body.fee } ?? 0
    }

    /// Adds a transaction whose signature, nonce and fee the caller checked against the state and this mempool.
    /// - Throws: ``ConsensusError/duplicateTransaction(_:)`` or ``ConsensusError/mempoolFull(transactions:bytes:)``.
    public mutating func insert(_ transaction: VerifiedTransaction) throws(ConsensusError) {
        guard !self.hashes.contains(transaction.hash) else { throw .duplicateTransaction(transaction.hash) }
        guard self.count < self.configuration.maxTransactions,
            self.byteCount + transaction.encoding.count <= self.configuration.maxBytes
        else { throw .mempoolFull(transactions: self.count, bytes: self.byteCount) }
        self.queues[transaction.transaction.body.senderAddress, default: []].append(Entry(transaction: transaction, arrival: self.nextArrival))
        self.nextArrival += 1
        self.hashes.insert(transaction.hash)
        self.byteCount += transaction.encoding.count
    }

    /// Removes and returns up to `max` transactions: highest fee first across senders, each sender in nonce order.
    ///
    /// - Complexity: O(k log s) for k transactions reaped from s senders.
    public mutating func reap(max: Int) -> [VerifiedTransaction] {
        var heads = SenderHeap()
        for (sender, queue) in self.queues {
            if let first = queue.first {
                heads.push(.init(sender: sender, index: 0, fee: first.transaction.transaction.body.fee, arrival: first.arrival))
            }
        }
        var reaped: [VerifiedTransaction] = []
        var taken: [Address: Int] = [:]
        while reaped.count < max, let head = heads.pop() {
            guard let queue = self.queues[head.sender] else { continue }
            reaped.append(queue[head.index].transaction)
            taken[head.sender] = head.index + 1
            let nextIndex = head.index + 1
            if nextIndex < queue.count {
                let next = queue[nextIndex]
                heads.push(.init(sender: head.sender, index: nextIndex, fee: next.transaction.transaction.body.fee, arrival: next.arrival))
            }
        }
        for (sender, count) in taken {
            guard var queue = self.queues[sender] else { continue }
            for entry in queue.prefix(count) {
                self.hashes.remove(entry.transaction.hash)
                self.byteCount -= entry.transaction.encoding.count
            }
            queue.removeFirst(count)
            self.queues[sender] = queue.isEmpty ? nil : queue
        }
        return reaped
    }

    /// Puts back transactions reaped for a block they did not fit in, in front of their senders' queues.
    public mutating func restore(_ transactions: [VerifiedTransaction]) {
        var bySender: [Address: [Entry]] = [:]
        for transaction in transactions where !self.hashes.contains(transaction.hash) {
            bySender[transaction.transaction.body.senderAddress, default: []].append(Entry(transaction: transaction, arrival: self.nextArrival))
            self.nextArrival += 1
            self.hashes.insert(transaction.hash)
            self.byteCount += transaction.encoding.count
        }
        for (sender, entries) in bySender {
            self.queues[sender] = entries + (self.queues[sender] ?? [])
        }
    }
}

/// A max-heap of senders' next transactions by fee, then earliest arrival.
private struct SenderHeap {
    struct Head {
        var sender: Address
        var index: Int
        var fee: Amount
        var arrival: UInt64

        func outranks(_ other: Head) -> Bool {
            self.fee != other.fee ? self.fee > other.fee : self.arrival < other.arrival
        }
    }

    private var items: [Head] = []

    mutating func push(_ head: Head) {
        self.items.append(head)
        var child = self.items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.items[child].outranks(self.items[parent]) else { break }
            self.items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Head? {
        guard !self.items.isEmpty else { return nil }
        self.items.swapAt(0, self.items.count - 1)
        let top = self.items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var best = parent
            if left < self.items.count, self.items[left].outranks(self.items[best]) { best = left }
            if right < self.items.count, self.items[right].outranks(self.items[best]) { best = right }
            guard best != parent else { break }
            self.items.swapAt(parent, best)
            parent = best
        }
        return top
    }
}
