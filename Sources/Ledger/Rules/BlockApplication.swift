// Applying a whole block to a state.

public import DeAICore

/// A transaction decoded from the wire with what execution needs: its size, its hash, and whether its
/// signature was already verified.
public struct VerifiedTransaction: Sendable, Hashable {
    /// The transaction.
    public var transaction: Transaction
    /// Its canonical encoding, as received.
    public var encoding: [UInt8]
    /// Its hash.
    public var hash: SHA256Digest

    /// Decodes `encoding`; the caller verifies the signature separately (once).
    public init(encoding: [UInt8]) throws(LedgerError) {
        do {
            self.transaction = try Transaction(canonicalEncoding: encoding)
        } catch {
            throw .malformedTransaction(reason: error.description)
        }
        self.encoding = encoding
        self.hash = Transaction.hash(ofEncoding: encoding)
    }

    /// Whether the signature is valid, checked over the received bytes: the body's canonical encoding is the
    /// encoding less its last 64 bytes (the signature), so nothing is encoded again.
    ///
    /// - Complexity: one Ed25519 verification.
    public var hasValidSignature: Bool {
        let body = self.encoding.dropLast(Signature.byteCount)
        return self.transaction.body.sender.isValidSignature(
            self.transaction.signature, for: TransactionBody.signingDomain + body
        )
    }

    /// Wraps an in-memory transaction.
    public init(_ transaction: Transaction) {
        self.transaction = transaction
        self.encoding = transaction.canonicalEncoding
        self.hash = Transaction.hash(ofEncoding: self.encoding)
    }
}

/// The outcome of applying a block's transactions to a state.
public struct BlockOutcome: Sendable {
    /// One receipt per transaction, in block order.
    public var receipts: [TransactionReceipt]
    /// The state entries the block changed, sorted by key.
    public var changes: [StateChange]
}

extension StateTransition {
    /// Applies `transactions` (signatures already verified) as the block described by `context`.
    ///
    /// On a throw `state` may be partly changed: callers apply blocks to a copy and keep it only on success.
    /// - Throws: ``LedgerError`` (1xx) naming the first invalid transaction.
    public static func applyBlock(
        _ transactions: [VerifiedTransaction], to state: inout LedgerState, context: BlockContext
    ) throws(LedgerError) -> BlockOutcome {
        guard UInt64(transactions.count) <= state.parameters.maxBlockTransactions else {
            throw .invalidBlock(height: context.height, reason: "\(transactions.count) transactions exceed the block limit")
        }
        self.beginBlock(&state, context: context)
        var receipts: [TransactionReceipt] = []
        receipts.reserveCapacity(transactions.count)
        for (index, verified) in transactions.enumerated() {
            receipts.append(
                try self.apply(
                    verified.transaction, encodedSize: verified.encoding.count, hash: verified.hash,
                    index: UInt32(index), to: &state, context: context
                )
            )
        }
        self.endBlock(&state, context: context)
        return BlockOutcome(receipts: receipts, changes: state.takeChanges())
    }
}
