// The one error type of the Ledger: why a transaction was refused or failed.

public import DeAICore

/// Why the ledger refused a transaction, or why a transaction included in a block failed.
///
/// Every case has a frozen numeric ``code``. Codes are consensus data: they are written into receipts and
/// receipts are hashed into blocks, so a code is never renumbered or reused; new cases only append.
///
/// - Codes 1xx: the transaction is invalid and can never be included in a block (the mempool refuses it).
/// - Codes 2xx: the transaction was valid and included, its fee was paid and its nonce used, but its payload
///   failed; nothing else changed.
public enum LedgerError: Error, Hashable, Sendable {
    // MARK: Invalid transactions (1xx)
    case malformedTransaction(reason: String)
    case wrongChainID(expected: String, received: String)
    case invalidSignature
    case transactionTooLarge(bytes: Int, limit: UInt64)
    case memoTooLarge(bytes: Int, limit: UInt64)
    case nonceAlreadyUsed(account: Address, expected: UInt64, received: UInt64)
    case nonceInFuture(account: Address, expected: UInt64, received: UInt64)
    case feeTooLow(minimum: Amount, offered: Amount)
    case insufficientFundsForFee(account: Address, fee: Amount, available: Amount)

    // MARK: Failed payloads (2xx)
    case insufficientFunds(account: Address, needed: Amount, available: Amount)
    case zeroAmount
    case validatorAlreadyExists(Address)
    case unknownValidator(Address)
    case insufficientStake(validator: Address, requested: Amount, bonded: Amount)
    case insufficientDelegation(delegator: Address, validator: Address, requested: Amount, bonded: Amount)
    case stakeBelowMinimum(minimum: Amount, offered: Amount)
    case commissionTooHigh(basisPoints: UInt16)
    case unknownProposal(id: UInt64)
    case proposalNotVoting(id: UInt64, status: ProposalStatus)
    case proposalNotOpenForDeposit(id: UInt64, status: ProposalStatus)
    case invalidProposal(reason: String)
    case unknownParameter(name: String)
    case invalidParameterValue(name: String, value: UInt64, reason: String)
    case noVotingPower(Address)
    case amountOverflow
    case consensusKeyInUse(VerifyingKey)
    case invalidTask(reason: String)
    case unknownTask(id: UInt64)
    case taskCompleted(id: UInt64)
    case alreadyTaskMember(taskID: UInt64, member: Address, role: TaskRole)
    case notTaskMember(taskID: UInt64, member: Address, role: TaskRole?)
    case memberBusy(taskID: UInt64, member: Address, round: UInt32)
    case wrongRound(taskID: UInt64, current: UInt32, received: UInt32)
    case wrongPhase(taskID: UInt64, round: UInt32, expected: RoundPhase, actual: RoundPhase)
    case notSelected(taskID: UInt64, round: UInt32, trainer: Address)
    case alreadySubmitted(taskID: UInt64, round: UInt32, member: Address, what: String)
    case scoreCountMismatch(taskID: UInt64, round: UInt32, expected: Int, received: Int)
    case invalidSubmission(reason: String)
    case commitmentMismatch(taskID: UInt64, round: UInt32, member: Address, what: String)
    case notCommitted(taskID: UInt64, round: UInt32, member: Address, what: String)
    case invalidEvidence(reason: String)
    case validatorTombstoned(Address)
    case unknownChannel(id: UInt64)
    case channelRefused(id: UInt64, reason: String)
    case invalidVoucher(channelID: UInt64, reason: String)
    case serverNotBonded(server: Address, bonded: Amount, minimum: Amount)
    case unknownModelVersion(taskID: UInt64, version: UInt32)
    case privacyBudgetExhausted(taskID: UInt64, member: Address, spentMillionths: UInt64, budgetMillionths: UInt64)

    // MARK: Proofs and blocks (3xx): never in receipts
    case invalidProof(reason: String)
    case invalidBlock(height: Height, reason: String)

    /// The frozen numeric code written into receipts. Never renumber; only append.
    public var code: UInt16 {
        switch self {
        case .malformedTransaction: 101
        case .wrongChainID: 102
        case .invalidSignature: 103
        case .transactionTooLarge: 104
        case .memoTooLarge: 105
        case .nonceAlreadyUsed: 106
        case .nonceInFuture: 107
        case .feeTooLow: 108
        case .insufficientFundsForFee: 109
        case .insufficientFunds: 201
        case .zeroAmount: 202
        case .validatorAlreadyExists: 203
        case .unknownValidator: 204
        case .insufficientStake: 205
        case .insufficientDelegation: 206
        case .stakeBelowMinimum: 207
        case .commissionTooHigh: 208
        case .unknownProposal: 209
        case .proposalNotVoting: 210
        case .proposalNotOpenForDeposit: 211
        case .invalidProposal: 212
        case .unknownParameter: 213
        case .invalidParameterValue: 214
        case .noVotingPower: 215
        case .amountOverflow: 216
        case .consensusKeyInUse: 217
        case .invalidTask: 218
        case .unknownTask: 219
        case .taskCompleted: 220
        case .alreadyTaskMember: 221
        case .notTaskMember: 222
        case .memberBusy: 223
        case .wrongRound: 224
        case .wrongPhase: 225
        case .notSelected: 226
        case .alreadySubmitted: 227
        // 228 (a replayed update) is retired, never to be reused: a replay now succeeds as the copier's turn
        // (`TrainingRound.copies`).
        case .scoreCountMismatch: 229
        case .invalidSubmission: 230
        case .commitmentMismatch: 231
        case .notCommitted: 232
        case .invalidEvidence: 233
        case .validatorTombstoned: 234
        case .unknownChannel: 235
        case .channelRefused: 236
        case .invalidVoucher: 237
        case .serverNotBonded: 238
        case .unknownModelVersion: 239
        case .privacyBudgetExhausted: 240
        case .invalidProof: 301
        case .invalidBlock: 302
        }
    }

    /// A stable, machine-readable name for the error, used by the API next to ``code``.
    public var name: String {
        switch self {
        case .malformedTransaction: "malformed_transaction"
        case .wrongChainID: "wrong_chain_id"
        case .invalidSignature: "invalid_signature"
        case .transactionTooLarge: "transaction_too_large"
        case .memoTooLarge: "memo_too_large"
        case .nonceAlreadyUsed: "nonce_already_used"
        case .nonceInFuture: "nonce_in_future"
        case .feeTooLow: "fee_too_low"
        case .insufficientFundsForFee: "insufficient_funds_for_fee"
        case .insufficientFunds: "insufficient_funds"
        case .zeroAmount: "zero_amount"
        case .validatorAlreadyExists: "validator_already_exists"
        case .unknownValidator: "unknown_validator"
        case .insufficientStake: "insufficient_stake"
        case .insufficientDelegation: "insufficient_delegation"
        case .stakeBelowMinimum: "stake_below_minimum"
        case .commissionTooHigh: "commission_too_high"
        case .unknownProposal: "unknown_proposal"
        case .proposalNotVoting: "proposal_not_voting"
        case .proposalNotOpenForDeposit: "proposal_not_open_for_deposit"
        case .invalidProposal: "invalid_proposal"
        case .unknownParameter: "unknown_parameter"
        case .invalidParameterValue: "invalid_parameter_value"
        case .noVotingPower: "no_voting_power"
        case .amountOverflow: "amount_overflow"
        case .consensusKeyInUse: "consensus_key_in_use"
        case .invalidTask: "invalid_task"
        case .unknownTask: "unknown_task"
        case .taskCompleted: "task_completed"
        case .alreadyTaskMember: "already_task_member"
        case .notTaskMember: "not_task_member"
        case .memberBusy: "member_busy"
        case .wrongRound: "wrong_round"
        case .wrongPhase: "wrong_phase"
        case .notSelected: "not_selected"
        case .alreadySubmitted: "already_submitted"
        case .scoreCountMismatch: "score_count_mismatch"
        case .invalidSubmission: "invalid_submission"
        case .commitmentMismatch: "commitment_mismatch"
        case .notCommitted: "not_committed"
        case .invalidEvidence: "invalid_evidence"
        case .validatorTombstoned: "validator_tombstoned"
        case .unknownChannel: "unknown_channel"
        case .channelRefused: "channel_refused"
        case .invalidVoucher: "invalid_voucher"
        case .serverNotBonded: "server_not_bonded"
        case .unknownModelVersion: "unknown_model_version"
        case .privacyBudgetExhausted: "privacy_budget_exhausted"
        case .invalidProof: "invalid_proof"
        case .invalidBlock: "invalid_block"
        }
    }

    /// Whether the error makes the transaction invalid (it can never enter a block), as opposed to a payload
    /// failure recorded in a receipt.
    public var isInvalidTransaction: Bool { self.code < 200 }

    /// Whether the error is a payload failure, recorded in a receipt.
    public var isPayloadFailure: Bool { (200..<300).contains(self.code) }
}

extension LedgerError: CustomStringConvertible {
    /// A sentence a person understands; also the message stored in receipts.
    public var description: String {
        switch self {
        case .malformedTransaction(let reason): "malformed transaction: \(reason)"
        case .wrongChainID(let expected, let received):
            "wrong chain ID: this chain is \"\(expected)\", the transaction was signed for \"\(received)\""
        case .invalidSignature: "the signature does not match the sender's key and the transaction"
        case .transactionTooLarge(let bytes, let limit): "transaction is \(bytes) bytes, the limit is \(limit)"
        case .memoTooLarge(let bytes, let limit): "memo is \(bytes) bytes, the limit is \(limit)"
        case .nonceAlreadyUsed(let account, let expected, let received):
            "nonce \(received) of \(account) was already used (replay?); the next nonce is \(expected)"
        case .nonceInFuture(let account, let expected, let received):
            "nonce \(received) of \(account) is ahead of the next nonce \(expected)"
        case .feeTooLow(let minimum, let offered): "fee \(offered) is below the minimum fee \(minimum)"
        case .insufficientFundsForFee(let account, let fee, let available):
            "\(account) cannot pay the fee \(fee): balance is \(available)"
        case .insufficientFunds(let account, let needed, let available):
            "insufficient funds: \(account) needs \(needed), has \(available)"
        case .zeroAmount: "the amount must be greater than zero"
        case .validatorAlreadyExists(let address): "\(address) is already a validator"
        case .unknownValidator(let address): "\(address) is not a validator"
        case .insufficientStake(let validator, let requested, let bonded):
            "validator \(validator) has \(bonded) staked, cannot unstake \(requested)"
        case .insufficientDelegation(let delegator, let validator, let requested, let bonded):
            "\(delegator) has \(bonded) delegated to \(validator), cannot undelegate \(requested)"
        case .stakeBelowMinimum(let minimum, let offered): "stake \(offered) is below the minimum \(minimum)"
        case .commissionTooHigh(let basisPoints): "commission \(basisPoints) basis points exceeds 10000"
        case .unknownProposal(let id): "there is no proposal \(id)"
        case .proposalNotVoting(let id, let status): "proposal \(id) is \(status.rawValue), not open for votes"
        case .proposalNotOpenForDeposit(let id, let status):
            "proposal \(id) is \(status.rawValue), not open for deposits"
        case .invalidProposal(let reason): "invalid proposal: \(reason)"
        case .unknownParameter(let name): "there is no chain parameter named \"\(name)\""
        case .invalidParameterValue(let name, let value, let reason): "parameter \(name) = \(value): \(reason)"
        case .noVotingPower(let address): "\(address) has no bonded stake and so no voting power"
        case .amountOverflow: "the amount overflows the token supply"
        case .consensusKeyInUse(let key): "consensus key \(key) is already used by another validator"
        case .invalidTask(let reason): "invalid task: \(reason)"
        case .unknownTask(let id): "there is no training task \(id)"
        case .taskCompleted(let id): "training task \(id) has completed"
        case .alreadyTaskMember(let taskID, let member, let role):
            "\(member) is already a member (\(role.rawValue)) of task \(taskID)"
        case .notTaskMember(let taskID, let member, let role):
            "\(member) is not \(role.map { "an active \($0.rawValue)" } ?? "an active member") of task \(taskID)"
        case .memberBusy(let taskID, let member, let round):
            "\(member) still has a duty in round \(round) of task \(taskID); leave after the round"
        case .wrongRound(let taskID, let current, let received):
            "task \(taskID) is in round \(current), not round \(received)"
        case .wrongPhase(let taskID, let round, let expected, let actual):
            "round \(round) of task \(taskID) is in its \(actual.rawValue) phase, not \(expected.rawValue)"
        case .notSelected(let taskID, let round, let trainer):
            "\(trainer) was not selected for round \(round) of task \(taskID)"
        case .alreadySubmitted(let taskID, let round, let member, let what):
            "\(member) already submitted \(what) for round \(round) of task \(taskID)"
        case .scoreCountMismatch(let taskID, let round, let expected, let received):
            "round \(round) of task \(taskID) has \(expected) updates, the assessments have \(received) entries"
        case .invalidSubmission(let reason): "invalid submission: \(reason)"
        case .commitmentMismatch(let taskID, let round, let member, let what):
            "\(what) of \(member) does not open its commitment for round \(round) of task \(taskID)"
        case .notCommitted(let taskID, let round, let member, let what):
            "\(member) committed to no \(what) in round \(round) of task \(taskID), so it has nothing to reveal"
        case .invalidEvidence(let reason): "invalid evidence: \(reason)"
        case .validatorTombstoned(let address):
            "validator \(address) was punished for signing conflicting votes and is out of the set for good"
        case .unknownChannel(let id): "there is no payment channel \(id)"
        case .channelRefused(let id, let reason): "payment channel \(id): \(reason)"
        case .invalidVoucher(let channelID, let reason): "invalid voucher for payment channel \(channelID): \(reason)"
        case .serverNotBonded(let server, let bonded, let minimum):
            "server \(server) has \(bonded) bonded behind its answers; channels need at least \(minimum) (it may also have been punished for a forged answer)"
        case .unknownModelVersion(let taskID, let version): "task \(taskID) has no model version \(version)"
        case .privacyBudgetExhausted(let taskID, let member, let spent, let budget):
            "trainer \(member) has spent ε = \(PrivacyTerms.decimal(millionths: spent)) of its privacy budget "
                + "ε = \(PrivacyTerms.decimal(millionths: budget)) in task \(taskID): one more round would exceed it"
        case .invalidProof(let reason): "invalid proof: \(reason)"
        case .invalidBlock(let height, let reason): "invalid block \(height): \(reason)"
        }
    }
}
