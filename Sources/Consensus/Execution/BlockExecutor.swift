// Executing a block someone else proposed, or a stored block on replay, with every check.

public import DeAICore
public import Ledger

/// Executes a proposed or stored block against a state, checking everything its header claims.
///
/// Determinism: signature checks are per transaction; the rules are ``StateTransition``'s. The same block on the
/// same state gives the same receipts, changes and root on every node.
public enum BlockExecutor {
    /// Verifies the block's signatures on all cores, applies its transactions, updates `commitment`, and checks
    /// the header: chain, height, time, previous hash, validator set, proposer, the three Merkle roots and the next
    /// validator set.
    ///
    /// `state` and `commitment` are changed only when the block is valid.
    /// - Parameter previousHash: the hash the header must name as its previous block.
    /// - Throws: ``LedgerError/invalidBlock(height:reason:)`` or the 1xx ``LedgerError`` of an invalid transaction.
    public static func execute(
        _ block: Block, previousHash: SHA256Digest, on state: inout LedgerState, commitment: inout StateCommitment
    ) throws(LedgerError) -> BlockOutcome {
        let header = block.header
        let height = header.height
        func check(_ condition: Bool, _ reason: @autoclosure () -> String) throws(LedgerError) {
            guard condition else { throw .invalidBlock(height: height, reason: reason()) }
        }
        try check(header.chainID == state.chainID, "it is for chain \(header.chainID)")
        try check(height == state.height + 1, "the state is at height \(state.height)")
        try check(header.time >= state.globals.blockTime, "its time is before the previous block's")
        try check(header.previousBlockHash == previousHash, "it does not follow the previous block")
        let validatorSet = ValidatorSet(state: state)
        try check(header.validatorSetHash == validatorSet.hash, "its validator set hash is not the active set's")
        try check(validatorSet.member(header.proposer) != nil, "its proposer \(header.proposer) is not a validator")

        let transactions = block.transactions.map(VerifiedTransaction.init)
        try check(Block.transactionsRoot(of: transactions.map(\.encoding)) == header.transactionsRoot, "its transactions root does not match")
        if let bad = SignatureVerifier.verify(transactions).firstIndex(of: false) {
            throw .invalidBlock(height: height, reason: "transaction \(bad) has an invalid signature")
        }
        var next = state
        let outcome = try StateTransition.applyBlock(
            transactions, to: &next, context: BlockContext(
                height: height, time: header.time, proposer: header.proposer, previousBlockHash: header.previousBlockHash)
        )
        var nextCommitment = commitment
        nextCommitment.apply(outcome.changes)
        try check(nextCommitment.root == header.stateRoot, "its state root does not match the executed state")
        try check(Block.receiptsRoot(of: outcome.receipts) == header.receiptsRoot, "its receipts root does not match")
        try check(
            header.nextValidatorSetHash == ValidatorSet(state: next).hash,
            "its next validator set hash is not the set after it")
        state = next
        commitment = nextCommitment
        return outcome
    }
}
