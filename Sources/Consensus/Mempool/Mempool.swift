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
        let reaped = self.peek(max: max)
        var taken: [Address: Int] = [:]
        for transaction in reaped { taken[transaction.transaction.body.senderAddress, default: 0] += 1 }
        for (sender, count) in taken { self.remove(0..<count, of: sender) }
        return reaped
    }

    /// The transactions ``reap(max:)`` would hand out, left waiting: a proposal that may not be decided takes its
    /// transactions from here, and they leave once a block includes them (``removeIncluded(senders:nonce:)``).
    ///
    /// - Complexity: O(k log s) for k transactions from s senders.
    public func peek(max: Int) -> [VerifiedTransaction] {
        var heads = SenderHeap()
        for (sender, queue) in self.queues {
            if let first = queue.first {
                heads.push(.init(sender: sender, index: 0, fee: first.transaction.transaction.body.fee, arrival: first.arrival))
            }
        }
        var peeked: [VerifiedTransaction] = []
        while peeked.count < max, let head = heads.pop() {
            guard let queue = self.queues[head.sender] else { continue }
            peeked.append(queue[head.index].transaction)
            let nextIndex = head.index + 1
            if nextIndex < queue.count {
                let next = queue[nextIndex]
                heads.push(.init(sender: head.sender, index: nextIndex, fee: next.transaction.transaction.body.fee, arrival: next.arrival))
            }
        }
        return peeked
    }

    /// Removes the transactions a committed block used up: for each of `senders`, those whose nonce is below its
    /// account `nonce` after the block.
    public mutating func removeIncluded(senders: some Sequence<Address>, nonce: (Address) -> UInt64) {
        for sender in senders {
            let next = nonce(sender)
            let used = self.queues[sender]?.prefix { $0.transaction.transaction.body.nonce < next }.count ?? 0
            self.remove(0..<used, of: sender)
        }
    }

    /// Removes `transactions`, which became invalid, with the later transactions of their senders, which can no
    /// longer be included after the gap.
    public mutating func discard(_ transactions: some Sequence<VerifiedTransaction>) {
        for transaction in transactions {
            let sender = transaction.transaction.body.senderAddress
            guard let queue = self.queues[sender], let position = queue.firstIndex(where: { $0.transaction.hash == transaction.hash })
            else { continue }
            self.remove(position..<queue.count, of: sender)
        }
    }

    /// Removes the entries at `positions` of `sender`'s queue.
    private mutating func remove(_ positions: Range<Int>, of sender: Address) {
        guard !positions.isEmpty, var queue = self.queues[sender] else { return }
        for entry in queue[positions] {
            self.hashes.remove(entry.transaction.hash)
            self.byteCount -= entry.transaction.encoding.count
        }
        queue.removeSubrange(positions)
        self.queues[sender] = queue.isEmpty ? nil : queue
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
