// Producing and committing blocks.

import DeAICore
public import Ledger
internal import Logging
internal import Metrics
internal import Storage

extension Chain {
    /// Produces, signs and durably commits the next block from the mempool, if this node is a validator that
    /// holds more than two thirds of the voting power (alone, it can commit without other votes). When it does
    /// not, ``status`` says what power is missing and the log says so once.
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
        let validatorSet = self.core.validatorSet
        let member = self.validatorMember(in: validatorSet)
        self.noteShortfall(PowerShortfall(set: validatorSet, present: Set(member.map { [$0.address] } ?? [])))
        guard self.shortfall == nil, let member else { return nil }
        self.isProducing = true
        defer { self.isProducing = false }

        let proposal = self.core.propose(
            from: self.mempool.reap(max: self.configuration.maxBlockTransactions), time: time, proposer: member.address)
        self.mempool.restore(proposal.deferred)
        for (transaction, reason) in proposal.dropped {
            self.logger.debug("dropped an invalid transaction", metadata: ["tx.hash": "\(transaction.hash)", "reason": "\(reason)"])
        }
        let executed = proposal.executed
        let commit = try self.signCommit(for: executed.block.header, validator: member.address, key: key)
        try await self.commit(executed, by: commit)
        return executed.block
    }

    /// Makes `executed`, which `commit` decides, the chain's next block: applies it to the core (from here
    /// admissions check against the state after it), writes it in one database transaction (durable on return),
    /// removes its transactions from the mempool, and publishes it to queries and waiting clients.
    /// - Throws: ``LedgerError`` when the commit does not decide the block (nothing changes); the storage error
    ///   when the write fails, after which the chain halts.
    func commit(_ executed: ExecutedBlock, by commit: Commit) async throws {
        let header = executed.block.header
        try self.core.apply(executed, commit: commit)
        // In the same turn of the actor as the core: a transaction admitted while the block is written must see
        // the new nonces and a mempool without the block's transactions, or it counts them twice.
        let state = executed.state
        self.mempool.removeIncluded(senders: Set(executed.block.transactions.map(\.body.senderAddress))) {
            state.account($0).nonce
        }
        let started = ContinuousClock.now
        do {
            try await self.database.commitBlock(
                CommittedBlock(
                    block: executed.block, encodedTransactions: executed.encodings, receipts: executed.outcome.receipts,
                    changes: executed.outcome.changes, commit: commit,
                    nextValidatorSet: header.nextValidatorSetHash == header.validatorSetHash
                        ? nil : ValidatorSet(state: executed.state)))
        } catch {
            self.halt(because: "committing block \(header.height) failed: \(error)")
            throw error
        }
        self.commitTimer.recordNanoseconds(Int64(clamping: (ContinuousClock.now - started).nanoseconds))
        self.publish(
            ChainView(state: executed.state, commitment: executed.commitment, header: header),
            receipts: executed.outcome.receipts)
    }

    /// Records why this validator cannot commit alone (or that it can again), and says so in the log when it
    /// changes: a chain waiting for absent power must not look merely idle.
    func noteShortfall(_ shortfall: PowerShortfall?) {
        guard shortfall != self.shortfall else { return }
        self.shortfall = shortfall
        if let shortfall {
            self.logger.warning("waiting for voting power: no block can be committed", metadata: ["reason": "\(shortfall)"])
        } else {
            self.logger.notice("voting power is back: blocks can be committed again")
        }
    }

    /// Makes a durably committed block visible: queries, metrics, waiting clients.
    private func publish(_ view: ChainView, receipts: [TransactionReceipt]) {
        self.view = view
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
    func halt(because reason: String) {
        self.haltReason = reason
        self.logger.error("block production halted", metadata: ["reason": "\(reason)"])
    }

    /// The validator's precommit of `header`, in a commit. The round is 0, or one past a round this validator
    /// already signed at this height (a block it signed before a crash and never wrote): a new round may decide
    /// another block, the same round may not. The signing record is made durable before the signature exists.
    private func signCommit(for header: BlockHeader, validator: Address, key: SigningKey) throws -> Commit {
        let round = self.signing.height == header.height && self.signing.step != nil ? self.signing.round + 1 : 0
        var commit = Commit(height: header.height, round: round, blockHash: header.hash, signatures: [])
        let vote = commit.vote(chainID: self.chainID, validator: validator)
        if case .refuse(let reason) = self.signing.check(vote) { throw ConsensusError.wouldDoubleSign(reason: reason) }
        try self.recordSigning { $0.record(vote) }
        commit.signatures = [try CommitSignature(signing: vote, with: key)]
        return commit
    }

    /// Updates the signing record with `change` and makes it durable, before the signature it allows exists.
    /// - Throws: the store's error, after which the chain halts: a validator that cannot remember what it signed
    ///   must not sign.
    func recordSigning(_ change: (inout SigningRecord) -> Void) throws {
        var signing = self.signing
        change(&signing)
        signing.signer = self.validatorKey?.verifyingKey
        do {
            try self.signingStore?.save(signing)
        } catch {
            self.halt(because: "the signing record could not be saved: \(error)")
            throw error
        }
        self.signing = signing
    }
}
