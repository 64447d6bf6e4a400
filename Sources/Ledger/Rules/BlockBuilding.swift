// Choosing which candidate transactions go into a new block.

import DeAICore

/// A block's content chosen by its proposer: the transactions that applied, their receipts and the state changes.
public struct BuiltBlock: Sendable {
    /// The included transactions, in block order.
    public var transactions: [VerifiedTransaction]
    /// Receipts, state changes, one per included transaction.
    public var outcome: BlockOutcome
    /// Candidates left out because they had become invalid (a spent balance, a nonce gap), with why.
    public var dropped: [(transaction: VerifiedTransaction, reason: LedgerError)]
    /// Valid candidates that did not fit in the block; they wait for the next one.
    public var deferred: [VerifiedTransaction]
}

extension StateTransition {
    /// Builds the block a proposer proposes: applies `candidates` (signatures already verified) in order,
    /// leaving out any that is invalid against the state so far, and every later one of the same sender.
    ///
    /// Applying the returned ``BuiltBlock/transactions`` with ``applyBlock(_:to:context:)`` to the same starting
    /// state gives the same receipts and changes.
    public static func buildBlock(
        from candidates: [VerifiedTransaction], on state: inout LedgerState, context: BlockContext
    ) -> BuiltBlock {
        self.beginBlock(&state, context: context)
        let limit = Int(clamping: state.parameters.maxBlockTransactions)
        var included: [VerifiedTransaction] = []
        var receipts: [TransactionReceipt] = []
        var dropped: [(transaction: VerifiedTransaction, reason: LedgerError)] = []
        var deferred: [VerifiedTransaction] = []
        var blockedSenders: Set<Address> = []
        for candidate in candidates {
            let sender = candidate.transaction.body.senderAddress
            // A sender's transactions after a dropped one fail with it (nonce gap), even once the block is full:
            // deferred, they would go back to the mempool with a gap. Once the block is full, the rest wait.
            // Never reordered.
            if blockedSenders.contains(sender) {
                let gap = LedgerError.nonceInFuture(
                    account: sender, expected: state.account(sender).nonce, received: candidate.transaction.body.nonce
                )
                dropped.append((candidate, gap))
                continue
            }
            if included.count == limit {
                deferred.append(candidate)
                continue
            }
            do {
                let receipt = try self.apply(
                    candidate.transaction, encodedSize: candidate.encoding.count, hash: candidate.hash,
                    index: UInt32(included.count), to: &state, context: context
                )
                included.append(candidate)
                receipts.append(receipt)
            } catch {
                blockedSenders.insert(sender)
                dropped.append((candidate, error))
            }
        }
        self.endBlock(&state, context: context)
        return BuiltBlock(transactions: included, outcome: BlockOutcome(receipts: receipts, changes: state.takeChanges()), dropped: dropped, deferred: deferred)
    }
}
