// Producing and committing blocks.

public import DeAICore
public import Ledger
internal import Logging
internal import Metrics
internal import Storage

extension Chain {
    /// Produces, signs and durably commits the next block from the mempool, if this node is a validator that
    /// holds more than two thirds of the voting power (alone, it can commit without other votes).
    ///
    /// - Parameter time: the proposer's clock in milliseconds since 1970 (read by the caller, never here); a time
    ///   before the previous block's is raised to it.
    /// - Returns: the committed block, or `nil` when this node cannot produce one (not a validator, not enough
    ///   power, or another production is under way). Empty blocks are produced too: the chain's clock advances.
    /// - Throws: ``ConsensusError/halted(reason:)`` once a commit failed; the error of the failed commit first.
    @discardableResult
    public func produceBlock(time: UInt64) async throws -> Block? {
        if let haltReason { throw ConsensusError.halted(reason: haltReason) }
        guard !self.isProducing, let key = self.validatorKey else { return nil }
        let validatorSet = ValidatorSet(state: self.state)
        guard let member = validatorSet.members.first(where: { $0.consensusKey == key.verifyingKey }),
            member.power.multipliedFullWidth(by: 3) > validatorSet.totalPower.multipliedFullWidth(by: 2)
        else { return nil }
        self.isProducing = true
        defer { self.isProducing = false }

        let previous = self.view
        let previousHash = previous.header?.hash ?? self.genesisHash
        let context = BlockContext(
            height: previous.height + 1, time: max(time, previous.state.globals.blockTime), proposer: member.address,
            previousBlockHash: previousHash
        )
        var next = self.state
        let built = StateTransition.buildBlock(
            from: self.mempool.reap(max: self.configuration.maxBlockTransactions), on: &next, context: context
        )
        self.mempool.restore(built.deferred)
        for (transaction, reason) in built.dropped {
            self.logger.debug("dropped an invalid transaction", metadata: ["tx.hash": "\(transaction.hash)", "reason": "\(reason)"])
        }
        var commitment = self.commitment
        commitment.apply(built.outcome.changes)
        let encodings = built.transactions.map(\.encoding)
        let header = BlockHeader(
            chainID: self.chainID, height: context.height, time: context.time,
            previousBlockHash: previousHash,
            transactionsRoot: Block.transactionsRoot(of: encodings), stateRoot: commitment.root,
            receiptsRoot: Block.receiptsRoot(of: built.outcome.receipts), proposer: member.address,
            validatorSetHash: validatorSet.hash, lastCommit: self.lastCommit
        )
        let block = Block(header: header, transactions: built.transactions.map(\.transaction))
        let commit = try self.signCommit(for: header, validator: member.address, key: key)

        // From here the block is the node's: admissions check against the state after it.
        self.state = next
        self.commitment = commitment
        let started = ContinuousClock.now
        do {
            try await self.database.commitBlock(
                CommittedBlock(block: block, encodedTransactions: encodings, receipts: built.outcome.receipts, changes: built.outcome.changes, commit: commit)
            )
        } catch {
            self.halt(because: "committing block \(context.height) failed: \(error)")
            throw error
        }
        self.commitTimer.recordNanoseconds(Int64(clamping: (ContinuousClock.now - started).nanoseconds))
        self.publish(ChainView(state: next, commitment: commitment, header: header), commit: commit, receipts: built.outcome.receipts)
        return block
    }

    /// Makes a durably committed block visible: queries, metrics, waiting clients.
    private func publish(_ view: ChainView, commit: Commit, receipts: [TransactionReceipt]) {
        self.view = view
        self.lastCommit = commit
        var byHash: [SHA256Digest: TransactionReceipt] = [:]
        byHash.reserveCapacity(receipts.count)
        for receipt in receipts { byHash[receipt.transactionHash] = receipt }
        self.recentReceipts.append(byHash)
        if self.recentReceipts.count > self.configuration.recentReceiptBlocks { self.recentReceipts.removeFirst() }
        for receipt in receipts {
            guard let waiting = self.waiters[receipt.transactionHash] else { continue }
            for id in waiting.keys { self.resumeWaiter(receipt.transactionHash, id: id, with: receipt) }
        }
        for id in self.heightWaiters.keys { self.resumeHeightWaiter(id: id) }
        self.heightGauge.record(Int64(clamping: view.height))
        self.transactionCounter.increment(by: Int64(receipts.count))
        self.mempoolGauge.record(self.mempool.count)
        self.mempoolBytesGauge.record(self.mempool.byteCount)
    }

    /// Stops block production and admission after a failed commit: memory may be ahead of disk.
    private func halt(because reason: String) {
        self.haltReason = reason
        self.logger.error("block production halted", metadata: ["reason": "\(reason)"])
    }

    private func signCommit(for header: BlockHeader, validator: Address, key: SigningKey) throws -> Commit {
        var commit = Commit(height: header.height, round: 0, blockHash: header.hash, signatures: [])
        let vote = commit.vote(chainID: self.chainID, validator: validator)
        commit.signatures = [CommitSignature(validator: validator, signature: try key.signature(for: vote.signingBytes))]
        return commit
    }
}
