// The chain engine of one node: admits transactions, produces and commits blocks, answers from a snapshot.

public import DeAICore
public import Ledger
public import Logging
internal import Metrics
public import Storage

/// The consensus service of a node: it owns the mempool, the database and the clients waiting for receipts and
/// heights, around a ``ChainCore`` that decides what the chain is.
///
/// With one validator (the embedded default) the node proposes every block and signs its precommit itself; the
/// block formats — headers with commits, validator sets, signed votes — are those of the multi-validator chain.
///
/// Life of a block (``produceBlock(time:)``): reap the mempool, let the core propose the block, sign the
/// precommit, apply the block to the core, write everything in one database transaction (durable on return), then
/// publish the new committed ``view`` and hand receipts to waiting clients. If the write fails the service halts:
/// memory is never ahead of disk in what it reports as committed.
public actor Chain {
    /// The chain's identifier.
    public nonisolated let chainID: String
    /// The hash block 1 names as its previous block.
    public nonisolated let genesisHash: SHA256Digest
    /// The node's database.
    public nonisolated let database: NodeDatabase

    let configuration: ChainConfiguration
    let validatorKey: SigningKey?
    /// What this validator signed last, and where that is kept (`nil`: in memory only).
    var signing: SigningRecord
    let signingStore: (any SigningRecordStore)?
    let logger: Logger

    /// The decided chain, including a block being written; admission checks against its state.
    var core: ChainCore
    var mempool: Mempool
    /// The last committed snapshot; queries read it.
    public internal(set) var view: ChainView
    var isProducing = false
    var haltReason: String?
    /// Why this validator cannot commit blocks alone, when it cannot.
    var shortfall: PowerShortfall?

    /// The consensus with other validators, once ``startConsensus(network:timeouts:)`` ran; `nil` when deciding
    /// alone or stopped.
    var driver: ConsensusDriver<PeerID>?
    /// The network of ``driver``.
    var network: (any ConsensusNetwork)?
    /// The proposals and votes this node signed at the height being decided (in memory; the signing record on
    /// disk is what keeps a restarted node from signing anything conflicting).
    var ownMessages: [ConsensusMessage] = []
    /// Where consensus stood at the last gossip tick: not moving for a whole tick is how a stall shows.
    var lastGossipPosition: ConsensusPosition?

    var recentReceipts: [[SHA256Digest: TransactionReceipt]] = []
    var waiters: [SHA256Digest: [UInt64: CheckedContinuation<TransactionReceipt?, Never>]] = [:]
    var heightWaiters: [UInt64: CheckedContinuation<Height, Never>] = [:]
    private var nextWaiterID: UInt64 = 0

    let heightGauge = Gauge(label: "deai_chain_height")
    let transactionCounter = Counter(label: "deai_transactions_total")
    let mempoolGauge = Gauge(label: "deai_mempool_transactions")
    let mempoolBytesGauge = Gauge(label: "deai_mempool_bytes")
    let commitTimer = Metrics.Timer(label: "deai_block_commit_seconds")

    private init(
        database: NodeDatabase, core: ChainCore, validatorKey: SigningKey?, signing: SigningRecord,
        signingStore: (any SigningRecordStore)?, configuration: ChainConfiguration, logger: Logger
    ) {
        self.signing = signing
        self.signingStore = signingStore
        self.chainID = core.chainID
        self.genesisHash = core.genesisHash
        self.database = database
        self.core = core
        self.view = ChainView(state: core.state, commitment: core.commitment, header: core.header)
        self.validatorKey = validatorKey
        self.configuration = configuration
        self.logger = logger
        self.mempool = Mempool(configuration: configuration.mempool)
    }

    /// Opens the chain stored in `database`, or starts it from `genesis` when the database is fresh.
    ///
    /// - Parameters:
    ///   - validatorKey: the consensus key this node signs blocks with; `nil` for a non-validator.
    ///   - signingRecord: where the validator's ``SigningRecord`` is kept, beside the database; `nil` keeps it in
    ///     memory only (tests and benchmarks).
    /// - Throws: ``ConsensusError/foreignChain(expected:found:)`` when the database holds another chain,
    ///   ``ConsensusError/databaseBehindSignatures(databaseHeight:signedHeight:)`` when the validator signed
    ///   beyond the block after the database's last (the database was lost, truncated or rolled back),
    ///   ``ConsensusError/validatorKeyChanged(signer:key:)`` when `validatorKey` is not the key the record shows
    ///   signed before, ``ConsensusError/corruptState(reason:)`` when its state does not match its last block,
    ///   ``ConsensusError/corruptHistory(height:reason:)`` when one of its last blocks does not chain or does not
    ///   match its header (``RecentHistoryCheck``), ``StorageError``
    ///   or ``LedgerError`` for unreadable data or an invalid genesis, the store's error for an unreadable record.
    ///   - rebuilding: Accept a database behind the signing record (lost and being rebuilt from peers): the chain
    ///     opens where the database ends, and the record keeps the validator from signing at any position it
    ///     signed before, so it votes again only once consensus is past them.
    public static func open(
        database: NodeDatabase, genesis: Genesis, validatorKey: SigningKey?,
        signingRecord: (any SigningRecordStore)? = nil, configuration: ChainConfiguration = ChainConfiguration(),
        rebuilding: Bool = false, logger: Logger
    ) async throws -> Chain {
        let signing = try signingRecord?.load() ?? SigningRecord()
        if let signer = signing.signer, let key = validatorKey?.verifyingKey, signer != key {
            throw ConsensusError.validatorKeyChanged(signer: signer, key: key)
        }
        let stored = try await database.metadata()
        let storedHeight = stored == nil ? 0 : try await database.latestHeight()
        // A crash between signing a block's precommit and writing the block leaves the record one height ahead.
        if signing.height > storedHeight + 1 {
            guard rebuilding else {
                throw ConsensusError.databaseBehindSignatures(databaseHeight: storedHeight, signedHeight: signing.height)
            }
            logger.notice(
                "rebuilding the chain from peers: this validator signs nothing until consensus is past what it signed",
                metadata: ["database.height": "\(storedHeight)", "signed.height": "\(signing.height)"])
        }
        var genesisState = try genesis.makeState()
        let genesisCommitment = StateCommitment(state: genesisState)
        let genesisHash = Genesis.hash(chainID: genesis.chainID, genesisTime: genesis.genesisTime, stateRoot: genesisCommitment.root)
        guard let metadata = stored else {
            let metadata = NodeDatabase.ChainMetadata(chainID: genesis.chainID, genesisHash: genesisHash, genesis: genesis)
            try await database.initialize(
                metadata, genesisState: genesisState.takeChanges(), validators: ValidatorSet(state: genesisState))
            let core = ChainCore(genesisHash: genesisHash, state: genesisState, commitment: genesisCommitment)
            return Chain(
                database: database, core: core, validatorKey: validatorKey, signing: signing, signingStore: signingRecord,
                configuration: configuration, logger: logger)
        }
        guard metadata.chainID == genesis.chainID, metadata.genesisHash == genesisHash else {
            throw ConsensusError.foreignChain(
                expected: "\(genesis.chainID) (genesis \(genesisHash))", found: "\(metadata.chainID) (genesis \(metadata.genesisHash))"
            )
        }
        guard metadata.format >= NodeDatabase.ChainMetadata.currentFormat else {
            throw ConsensusError.olderChainFormat(found: metadata.format, expected: NodeDatabase.ChainMetadata.currentFormat)
        }
        let state: LedgerState
        do {
            state = try LedgerState(chainID: genesis.chainID, entries: try await database.stateEntries())
        } catch let error as CodecError {
            throw ConsensusError.corruptState(reason: "a state entry does not decode: \(error)")
        }
        let commitment = StateCommitment(state: state)
        let height = storedHeight
        let header = height == 0 ? nil : try await database.header(at: height)
        let expectedRoot = header?.stateRoot ?? genesisCommitment.root
        guard commitment.root == expectedRoot, state.height == height else {
            throw ConsensusError.corruptState(reason: "the stored state (root \(commitment.root), height \(state.height)) does not match block \(height) (root \(expectedRoot))")
        }
        let last = try await RecentHistoryCheck.check(database, latest: height, genesisHash: genesisHash, chainID: genesis.chainID)
        let core = ChainCore(
            genesisHash: genesisHash, state: state, commitment: commitment, header: header, lastCommit: last?.commit,
            lastValidators: last?.signers)
        return Chain(
            database: database, core: core, validatorKey: validatorKey, signing: signing, signingStore: signingRecord,
            configuration: configuration, logger: logger)
    }

    // MARK: - Admission

    /// Decodes a transaction, verifies its signature (off the actor, so many verify in parallel), checks it
    /// against the state and the mempool, and admits it.
    /// - Returns: the transaction's hash.
    /// - Throws: ``LedgerError`` (1xx) for an invalid transaction, ``ConsensusError`` when the mempool refuses it.
    public nonisolated func submit(encoding: [UInt8]) async throws -> SHA256Digest {
        try await self.submit(encodings: [encoding])[0].get()
    }

    /// Decodes every transaction of a batch and verifies all their signatures at once on all cores (off the
    /// actor), then admits the valid ones in the order given, so that one sender's consecutive nonces in a batch
    /// are all accepted.
    /// - Returns: each transaction's hash, or why it was refused (``LedgerError`` 1xx, ``ConsensusError``), in the
    ///   order of `encodings`.
    public nonisolated func submit(encodings: [[UInt8]]) async -> [Result<SHA256Digest, any Error>] {
        await self.verifyAndAdmit(encodings.map { encoding in
            Result<VerifiedTransaction, any Error> { try VerifiedTransaction(encoding: encoding) }
        })
    }

    /// Transactions a peer relayed: those already in the mempool or already committed (a nonce below the
    /// sender's) are dropped before any signature is verified — every node relays what it admits, so most arrive
    /// several times — and the rest are submitted.
    public func receiveRelayed(encodings: [[UInt8]]) async {
        let state = self.core.state
        let fresh = encodings.compactMap { try? VerifiedTransaction(encoding: $0) }.filter { verified in
            !self.mempool.contains(verified.hash)
                && verified.transaction.body.nonce >= state.account(verified.transaction.body.senderAddress).nonce
        }
        guard !fresh.isEmpty else { return }
        _ = await self.verifyAndAdmit(fresh.map { .success($0) })
    }

    /// Verifies the signatures of the decoded transactions on all cores, off the actor, then admits the valid ones
    /// in order.
    private nonisolated func verifyAndAdmit(_ decoded: [Result<VerifiedTransaction, any Error>]) async -> [Result<SHA256Digest, any Error>] {
        var signatureIsValid = SignatureVerifier.verify(decoded.compactMap { try? $0.get() }).makeIterator()
        let checked = decoded.map { entry in
            entry.flatMap { verified -> Result<VerifiedTransaction, any Error> in
                signatureIsValid.next() == true ? .success(verified) : .failure(LedgerError.invalidSignature)
            }
        }
        return await self.admit(checked)
    }

    /// Admits each transaction whose signature the caller verified, in order, in one turn of the actor, and
    /// sends those admitted to the peers, if the node has any, so that whoever proposes next includes them.
    private func admit(_ batch: [Result<VerifiedTransaction, any Error>]) -> [Result<SHA256Digest, any Error>] {
        var admitted: [[UInt8]] = []
        let results = batch.map { entry in
            entry.flatMap { verified in
                Result {
                    try self.admit(verified)
                    admitted.append(verified.encoding)
                }.map { verified.hash }
            }
        }
        if !admitted.isEmpty { self.network?.broadcast(.transactions(admitted)) }
        return results
    }

    /// Admits a transaction whose signature the caller verified.
    public func admit(_ verified: VerifiedTransaction) throws {
        if let haltReason { throw ConsensusError.halted(reason: haltReason) }
        // Before the nonce check, which would call a resubmitted pending transaction a replay.
        guard !self.mempool.contains(verified.hash) else { throw ConsensusError.duplicateTransaction(verified.hash) }
        let sender = verified.transaction.body.senderAddress
        let state = self.core.state
        let account = state.account(sender)
        let pendingFees = self.mempool.pendingFees(of: sender)
        try StateTransition.validate(
            verified.transaction, encodedSize: verified.encoding.count, in: state,
            expectedNonce: account.nonce + UInt64(self.mempool.pendingCount(of: sender)),
            availableBalance: account.balance >= pendingFees ? account.balance - pendingFees : 0,
            checkSignature: false
        )
        if case .reportDoubleSign(let evidence) = verified.transaction.body.payload {
            // Free to send, so refused here unless it would punish: invalid evidence must not fill blocks.
            try StateTransition.checkEvidence(evidence, in: state, height: state.height + 1)
        }
        try self.mempool.insert(verified)
        self.mempoolGauge.record(self.mempool.count)
        self.mempoolBytesGauge.record(self.mempool.byteCount)
    }

    /// The nonce `address`'s next transaction should carry: its account nonce after the block being written, plus
    /// its transactions waiting in the mempool. Clients that send several transactions in a row use it.
    public func nextNonce(for address: Address) -> UInt64 {
        self.core.state.account(address).nonce + UInt64(self.mempool.pendingCount(of: address))
    }

    // MARK: - Receipts

    /// Waits until the transaction `hash` is committed and returns its receipt, or `nil` after `timeout`.
    public func waitForReceipt(_ hash: SHA256Digest, timeout: Duration) async -> TransactionReceipt? {
        if let receipt = self.recentReceipt(hash) { return receipt }
        if let stored = try? await self.database.receipt(hash) { return stored }
        let id = self.nextWaiterID
        self.nextWaiterID += 1
        return await withTaskGroup(of: TransactionReceipt?.self) { group in
            group.addTask { await self.suspendUntilCommitted(hash, id: id) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                await self.resumeWaiter(hash, id: id, with: nil)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            self.resumeWaiter(hash, id: id, with: nil)
            return first
        }
    }

    private func suspendUntilCommitted(_ hash: SHA256Digest, id: UInt64) async -> TransactionReceipt? {
        if let receipt = self.recentReceipt(hash) { return receipt }
        // The timeout may have won before this child first ran: then waitForReceipt already cancelled it and made
        // its last resume, and a continuation registered now would never be resumed (the task group would wait
        // for it forever).
        if Task.isCancelled { return nil }
        return await withCheckedContinuation { continuation in
            self.waiters[hash, default: [:]][id] = continuation
        }
    }

    func resumeWaiter(_ hash: SHA256Digest, id: UInt64, with receipt: TransactionReceipt?) {
        guard let continuation = self.waiters[hash]?.removeValue(forKey: id) else { return }
        if self.waiters[hash]?.isEmpty == true { self.waiters[hash] = nil }
        continuation.resume(returning: receipt)
    }

    private func recentReceipt(_ hash: SHA256Digest) -> TransactionReceipt? {
        for receipts in self.recentReceipts.reversed() {
            if let receipt = receipts[hash] { return receipt }
        }
        return nil
    }

    // MARK: - Blocks

    /// Transactions waiting in the mempool.
    public var pendingTransactionCount: Int { self.mempool.count }

    /// Waits until a block above `height` is committed and returns the committed height, or returns the current
    /// height after `timeout`. Clients that follow the chain long-poll with it instead of asking every block.
    public func waitForHeight(above height: Height, timeout: Duration) async -> Height {
        if self.view.height > height { return self.view.height }
        let id = self.nextWaiterID
        self.nextWaiterID += 1
        return await withTaskGroup(of: Height.self) { group in
            group.addTask { await self.suspendUntilHeight(id: id) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                await self.resumeHeightWaiter(id: id)
                return await self.view.height
            }
            let first = await group.next() ?? self.view.height
            group.cancelAll()
            self.resumeHeightWaiter(id: id)
            return first
        }
    }

    private func suspendUntilHeight(id: UInt64) async -> Height {
        // As for receipts: a timeout that already won must not leave a continuation nobody resumes.
        if Task.isCancelled { return self.view.height }
        return await withCheckedContinuation { continuation in
            self.heightWaiters[id] = continuation
        }
    }

    func resumeHeightWaiter(id: UInt64) {
        self.heightWaiters.removeValue(forKey: id)?.resume(returning: self.view.height)
    }

    // MARK: - Status

    /// What the node reports about its chain.
    public var status: ChainStatus {
        ChainStatus(
            chainID: self.chainID, height: self.view.height, latestBlockHash: self.view.header?.hash,
            latestBlockTime: self.view.state.globals.blockTime, stateRoot: self.view.commitment.root,
            genesisHash: self.genesisHash, mempoolTransactions: self.mempool.count, mempoolBytes: self.mempool.byteCount,
            validatorAddress: self.validatorMember(in: ValidatorSet(state: self.view.state))?.address,
            waitingForPower: self.shortfall
        )
    }

    func validatorMember(in set: ValidatorSet) -> ValidatorSet.Member? {
        guard let key = self.validatorKey?.verifyingKey else { return nil }
        return set.members.first { $0.consensusKey == key }
    }
}
