// The deterministic rules that turn one state into the next.

public import DeAICore

/// What the rules may know about the block being applied: nothing from a local clock or a random source.
public struct BlockContext: Sendable, Hashable {
    /// The block's height.
    public var height: Height
    /// The block's time from its header, in milliseconds since 1970.
    public var time: UInt64
    /// The operator address of the proposer, who collects the fees and the block reward.
    public var proposer: Address
    /// The hash of the previous block (the genesis hash for block 1): the chain's only source of randomness,
    /// which selects each round's trainers.
    public var previousBlockHash: SHA256Digest

    /// A context with every field given.
    public init(height: Height, time: UInt64, proposer: Address, previousBlockHash: SHA256Digest) {
        self.height = height
        self.time = time
        self.proposer = proposer
        self.previousBlockHash = previousBlockHash
    }
}

/// The state transition function of the chain.
///
/// Every function here is pure and deterministic: the same state and inputs give the same result on every node,
/// with integer arithmetic only and every collection walked in sorted order.
///
/// A block is applied as ``beginBlock(_:context:)``, then ``apply(_:encodedSize:hash:index:to:context:)`` per
/// transaction in block order, then ``endBlock(_:context:)``.
public enum StateTransition {
    /// Checks everything that makes `transaction` valid against `state`, without changing anything: size, memo,
    /// chain ID, nonce, fee, and the balance to pay the fee. The signature is checked when `checkSignature` is
    /// true (a caller that already verified it, once, passes false).
    ///
    /// - Parameters:
    ///   - expectedNonce: the nonce to expect; defaults to the account's. The mempool passes the account's nonce
    ///     plus the sender's transactions already pending.
    /// - Throws: the ``LedgerError`` (1xx) that makes the transaction invalid.
    public static func validate(
        _ transaction: Transaction, encodedSize: Int, in state: LedgerState, expectedNonce: UInt64? = nil,
        availableBalance: Amount? = nil, checkSignature: Bool
    ) throws(LedgerError) {
        let body = transaction.body
        let parameters = state.parameters
        let sizeLimit: UInt64
        if case .reportForgedAnswer = body.payload { sizeLimit = parameters.maxEvidenceBytes } else {
            sizeLimit = parameters.maxTransactionBytes
        }
        guard encodedSize <= sizeLimit else { throw .transactionTooLarge(bytes: encodedSize, limit: sizeLimit) }
        guard body.memo.utf8.count <= parameters.maxMemoBytes else {
            throw .memoTooLarge(bytes: body.memo.utf8.count, limit: parameters.maxMemoBytes)
        }
        guard body.chainID == state.chainID else { throw .wrongChainID(expected: state.chainID, received: body.chainID) }
        if checkSignature, !transaction.hasValidSignature { throw .invalidSignature }
        let sender = body.senderAddress
        let account = state.account(sender)
        let nonce = expectedNonce ?? account.nonce
        if body.nonce < nonce { throw .nonceAlreadyUsed(account: sender, expected: nonce, received: body.nonce) }
        if body.nonce > nonce { throw .nonceInFuture(account: sender, expected: nonce, received: body.nonce) }
        // Evidence of a double vote is free: whoever proves one must not need tokens to do so.
        if case .reportDoubleSign = body.payload {} else {
            guard body.fee >= parameters.minimumFee else { throw .feeTooLow(minimum: parameters.minimumFee, offered: body.fee) }
        }
        let balance = availableBalance ?? account.balance
        guard balance >= body.fee else { throw .insufficientFundsForFee(account: sender, fee: body.fee, available: balance) }
    }

    /// Applies one valid transaction: takes the fee (to the proposer) and the nonce, then runs the payload.
    ///
    /// A payload that fails changes nothing but the fee and the nonce; its failure is in the receipt.
    /// - Throws: a 1xx ``LedgerError`` when the transaction is invalid; then nothing changed and the block
    ///   that carries it is invalid. The signature must have been verified by the caller.
    public static func apply(
        _ transaction: Transaction, encodedSize: Int, hash: SHA256Digest, index: UInt32,
        to state: inout LedgerState, context: BlockContext
    ) throws(LedgerError) -> TransactionReceipt {
        try self.validate(transaction, encodedSize: encodedSize, in: state, checkSignature: false)
        let body = transaction.body
        let sender = body.senderAddress
        var account = state.account(sender)
        account.balance -= body.fee
        account.nonce += 1
        state.setAccount(account, for: sender)
        try self.credit(body.fee, to: context.proposer, in: &state)

        var code: UInt16 = 0
        var message = ""
        do {
            try self.execute(body.payload, sender: body.sender, in: &state, context: context)
        } catch {
            code = error.code
            message = error.description
        }
        return TransactionReceipt(
            transactionHash: hash, height: context.height, index: index, code: code, message: message, fee: body.fee
        )
    }

    /// Runs a payload. Each handler checks everything before it changes anything, so a throw leaves `state`
    /// as it was.
    static func execute(_ payload: Payload, sender senderKey: VerifyingKey, in state: inout LedgerState, context: BlockContext)
        throws(LedgerError)
    {
        let sender = senderKey.address
        switch payload {
        case .transfer(let recipient, let amount):
            try self.transfer(amount, from: sender, to: recipient, in: &state)
        case .createValidator(let consensusKey, let stake, let commission, let moniker):
            try self.createValidator(sender, consensusKey: consensusKey, stake: stake, commission: commission, moniker: moniker, in: &state)
        case .stake(let amount):
            try self.stake(amount, validator: sender, in: &state)
        case .unstake(let amount):
            try self.unstake(amount, validator: sender, in: &state, context: context)
        case .delegate(let validator, let amount):
            try self.delegate(amount, from: sender, to: validator, in: &state)
        case .undelegate(let validator, let amount):
            try self.undelegate(amount, from: sender, to: validator, in: &state, context: context)
        case .submitProposal(let content, let deposit):
            try self.submitProposal(content, deposit: deposit, proposer: sender, in: &state, context: context)
        case .deposit(let proposalID, let amount):
            try self.deposit(amount, on: proposalID, from: sender, in: &state, context: context)
        case .vote(let proposalID, let option):
            try self.vote(option, on: proposalID, voter: sender, in: &state)
        case .reportDoubleSign(let evidence):
            try self.punishDoubleSign(evidence, in: &state, context: context)
        case .createTask(let spec):
            try self.createTask(spec, sponsor: sender, in: &state, context: context)
        case .joinTask(let taskID, let role, let stake, let dataCommitment, let sealingKey):
            try self.joinTask(
                taskID, role: role, stake: stake, dataCommitment: dataCommitment, sealingKey: sealingKey, member: sender,
                in: &state, context: context)
        case .leaveTask(let taskID):
            try self.leaveTask(taskID, member: sender, in: &state)
        case .commitUpdate(let taskID, let round, let commitment):
            try self.commitUpdate(taskID: taskID, round: round, commitment: commitment, contributor: sender, in: &state)
        case .revealUpdate(let taskID, let round, let blob, let sampleCount, let salt):
            try self.revealUpdate(
                taskID: taskID, round: round, blob: blob, sampleCount: sampleCount, salt: salt, contributor: sender,
                in: &state, context: context)
        case .commitScores(let taskID, let round, let commitment):
            try self.commitScores(taskID: taskID, round: round, commitment: commitment, evaluator: sender, in: &state)
        case .revealScores(let taskID, let round, let assessments, let salt):
            try self.revealScores(
                taskID: taskID, round: round, assessments: assessments, salt: salt, evaluator: sender, in: &state)
        case .attestModel(let taskID, let round, let model, let metric, let improvement, let error):
            try self.attestModel(
                taskID: taskID, round: round, model: model, metricBasisPoints: metric, improvement: improvement,
                improvementError: error, evaluator: sender, in: &state)
        case .bondServer(let amount):
            try self.bondServer(amount, server: sender, in: &state)
        case .unbondServer(let amount):
            try self.unbondServer(amount, server: sender, in: &state, context: context)
        case .openChannel(let server, let taskID, let version, let deposit, let price, let expiresAt):
            let terms = ChannelTerms(
                server: server, taskID: taskID, version: version, deposit: deposit, pricePerRow: price,
                expiresAt: expiresAt)
            try self.openChannel(terms, client: senderKey, in: &state, context: context)
        case .fundChannel(let channelID, let amount, let expiresAt):
            try self.fundChannel(channelID, amount: amount, expiresAt: expiresAt, client: sender, in: &state, context: context)
        case .claimChannel(let voucher):
            try self.claimChannel(voucher, server: sender, in: &state, context: context)
        case .closeChannel(let channelID):
            try self.closeChannel(channelID, client: sender, in: &state, context: context)
        case .reportForgedAnswer(let evidence):
            try self.punishForgery(evidence, reporter: sender, in: &state)
        }
    }

    /// Records the block's height and time before its transactions run.
    public static func beginBlock(_ state: inout LedgerState, context: BlockContext) {
        state.globals.height = context.height
        state.globals.blockTime = context.time
    }

    /// After the block's transactions: the block reward, matured unbondings, proposals whose deposit or
    /// voting period ended, training rounds whose phase ended, and server bonds whose unbonding matured.
    public static func endBlock(_ state: inout LedgerState, context: BlockContext) {
        self.distributeBlockReward(in: &state, context: context)
        self.completeUnbondings(in: &state, context: context)
        self.endProposalPeriods(in: &state, context: context)
        self.advanceTrainingTasks(in: &state, context: context)
        self.completeServerUnbondings(in: &state, context: context)
    }

    // MARK: - Shared arithmetic

    /// Adds `amount` to `address`'s balance.
    static func credit(_ amount: Amount, to address: Address, in state: inout LedgerState) throws(LedgerError) {
        guard amount > 0 else { return }
        var account = state.account(address)
        account.balance = try self.sum(account.balance, amount)
        state.setAccount(account, for: address)
    }

    /// Takes `amount` from `address`'s balance.
    static func debit(_ amount: Amount, from address: Address, in state: inout LedgerState) throws(LedgerError) {
        var account = state.account(address)
        guard account.balance >= amount else {
            throw .insufficientFunds(account: address, needed: amount, available: account.balance)
        }
        account.balance -= amount
        state.setAccount(account, for: address)
    }

    /// `a + b`, or ``LedgerError/amountOverflow``.
    static func sum(_ a: Amount, _ b: Amount) throws(LedgerError) -> Amount {
        let (result, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw .amountOverflow }
        return result
    }

    /// The height `period` blocks after `height`, or `Height.max` (never) when that does not fit: a period set
    /// very long by governance must not wrap around to a height already past.
    static func height(_ height: Height, plus period: UInt64) -> Height {
        let (sum, overflow) = height.addingReportingOverflow(period)
        return overflow ? .max : sum
    }

    /// `value × numerator / denominator` in full-width integer arithmetic, rounded down (0 for a zero
    /// denominator): how every reward and slash is divided, for anyone who recomputes one.
    public static func share(of value: Amount, numerator: Amount, denominator: Amount) -> Amount {
        guard denominator > 0 else { return 0 }
        let product = value.multipliedFullWidth(by: numerator)
        guard product.high < denominator else { return Amount.max }
        return denominator.dividingFullWidth(product).quotient
    }

    /// Whether `part / whole` is at least (or, when `strictly`, more than) `basisPoints` / 10,000.
    static func fraction(_ part: Amount, of whole: Amount, exceeds basisPoints: UInt64, strictly: Bool) -> Bool {
        let left = part.multipliedFullWidth(by: 10_000)
        let right = whole.multipliedFullWidth(by: basisPoints)
        return strictly ? left > right : left >= right
    }
}
