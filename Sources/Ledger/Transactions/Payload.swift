// What a transaction asks the chain to do.

public import DeAICore

/// The action a transaction carries.
///
/// Each case has a frozen one-byte tag in the canonical encoding (see ``Tag``). Tags 1–9 are the token,
/// staking and governance actions, 10 the evidence of a double vote (11–15 are kept for more of them); the training, model and inference actions
/// take tags from 16 up, inference from 31. Tags 16, 17, 19, 20 and 21 belonged to the first round protocol (updates posted in the
/// clear, scores without commitments), 22 to task terms without a regression confidence, 28 to an attestation
/// without the standard error of its improvement, 23 to a task join without a sealing key, and 30 to task terms
/// without privacy terms: they are retired, never decode again and are never reused.
public enum Payload: Sendable, Hashable {
    /// Moves `amount` from the sender to `recipient`.
    case transfer(to: Address, amount: Amount)
    /// Makes the sender a validator that signs blocks with `consensusKey`, bonding `stake` of its balance.
    case createValidator(consensusKey: VerifyingKey, stake: Amount, commissionBasisPoints: UInt16, moniker: String)
    /// Adds `amount` of the sender's balance to its own validator's self-stake.
    case stake(amount: Amount)
    /// Starts unbonding `amount` of the sender's self-stake; it returns after the unbonding period.
    case unstake(amount: Amount)
    /// Bonds `amount` of the sender's balance to `validator`.
    case delegate(validator: Address, amount: Amount)
    /// Starts unbonding `amount` delegated to `validator`; it returns after the unbonding period.
    case undelegate(validator: Address, amount: Amount)
    /// Submits a governance proposal with an initial deposit.
    case submitProposal(content: ProposalContent, deposit: Amount)
    /// Adds to a proposal's deposit.
    case deposit(proposalID: UInt64, amount: Amount)
    /// Votes on a proposal in its voting period; a later vote replaces an earlier one.
    case vote(proposalID: UInt64, option: VoteOption)
    /// Proves that a validator signed two conflicting votes: it is slashed and leaves the set for good. Anyone may
    /// send it, with no fee.
    case reportDoubleSign(DuplicateVoteEvidence)
    /// Posts a federated training task, escrowing its reward pool from the sender (the sponsor).
    case createTask(TaskSpec)
    /// Joins a task as a trainer or an evaluator, staking `stake` of the sender's balance with the task. An
    /// evaluator commits to the hash of its held-out data (`dataCommitment`, required); a trainer may. An evaluator
    /// of a task with ``TaskSpec/sealedUpdates`` registers the key trainers seal their updates to (`sealingKey`).
    case joinTask(
        taskID: UInt64, role: TaskRole, stake: Amount, dataCommitment: SHA256Digest?, sealingKey: SealingPublicKey? = nil)
    /// Leaves a task, taking back the stake, when the sender has no pending duty in the current round.
    case leaveTask(taskID: UInt64)
    /// A selected trainer's commitment to its update for a round (``RoundCommitment/update(taskID:round:contributor:blob:salt:)``).
    case commitUpdate(taskID: UInt64, round: UInt32, commitment: SHA256Digest)
    /// Opens a trainer's commitment: the blob hash of its encoded weight deltas, the salt, and the sample count it
    /// claims (shown, never weighed).
    case revealUpdate(taskID: UInt64, round: UInt32, blob: SHA256Digest, sampleCount: UInt64, salt: [UInt8])
    /// An evaluator's commitment to its assessments of a round's updates
    /// (``RoundCommitment/scores(taskID:round:evaluator:assessments:salt:)``).
    case commitScores(taskID: UInt64, round: UInt32, commitment: SHA256Digest)
    /// Opens an evaluator's commitment: one assessment per update in the round's update order, and the salt.
    case revealScores(taskID: UInt64, round: UInt32, assessments: [UpdateAssessment], salt: [UInt8])
    /// An evaluator's attestation of the round's aggregate (the next model's blob hash), its accuracy in basis
    /// points, and its validation-loss improvement over the parent with the standard error of that mean, in
    /// micro-nats, on the evaluator's held-out data.
    case attestModel(
        taskID: UInt64, round: UInt32, model: SHA256Digest, metricBasisPoints: UInt16, improvement: Int64,
        improvementError: Int64)
    /// Bonds `amount` of the sender's balance behind the answers it serves (``ServerBond``).
    case bondServer(amount: Amount)
    /// Starts unbonding `amount` of the sender's server bond; it returns after the unbonding period.
    case unbondServer(amount: Amount)
    /// Opens a payment channel (``PaymentChannel``) from the sender to `server` for model version `version` of
    /// task `taskID`, escrowing `deposit`, claimable until height `expiresAt`.
    case openChannel(
        server: Address, taskID: UInt64, version: UInt32, deposit: Amount, pricePerRow: Amount, expiresAt: Height)
    /// Adds `amount` to the sender's channel and moves its expiry to `expiresAt` (never earlier).
    case fundChannel(channelID: UInt64, amount: Amount, expiresAt: Height)
    /// The server claims a voucher: it is paid what the voucher adds to what it claimed before.
    case claimChannel(ChannelVoucher)
    /// The client closes its channel after the expiry (or once its server was punished) and takes back the rest.
    case closeChannel(channelID: UInt64)
    /// Proves that a server signed a forged answer; anyone may send it.
    case reportForgedAnswer(ForgeryEvidence)

    /// The frozen canonical tags. Never renumber; only append.
    public enum Tag: UInt8, Sendable {
        case transfer = 1
        case createValidator = 2
        case stake = 3
        case unstake = 4
        case delegate = 5
        case undelegate = 6
        case submitProposal = 7
        case deposit = 8
        case vote = 9
        case reportDoubleSign = 10
        case leaveTask = 18
        case createTask = 38
        case joinTask = 39
        case commitUpdate = 24
        case revealUpdate = 25
        case commitScores = 26
        case revealScores = 27
        case attestModel = 29
        case bondServer = 31
        case unbondServer = 32
        case openChannel = 33
        case fundChannel = 34
        case claimChannel = 35
        case closeChannel = 36
        case reportForgedAnswer = 37
    }

    /// The canonical tag of this payload.
    public var tag: Tag {
        switch self {
        case .transfer: .transfer
        case .createValidator: .createValidator
        case .stake: .stake
        case .unstake: .unstake
        case .delegate: .delegate
        case .undelegate: .undelegate
        case .submitProposal: .submitProposal
        case .deposit: .deposit
        case .vote: .vote
        case .reportDoubleSign: .reportDoubleSign
        case .createTask: .createTask
        case .joinTask: .joinTask
        case .leaveTask: .leaveTask
        case .commitUpdate: .commitUpdate
        case .revealUpdate: .revealUpdate
        case .commitScores: .commitScores
        case .revealScores: .revealScores
        case .attestModel: .attestModel
        case .bondServer: .bondServer
        case .unbondServer: .unbondServer
        case .openChannel: .openChannel
        case .fundChannel: .fundChannel
        case .claimChannel: .claimChannel
        case .closeChannel: .closeChannel
        case .reportForgedAnswer: .reportForgedAnswer
        }
    }

    /// A short name of the action, for people and the API.
    public var kind: String {
        switch self.tag {
        case .transfer: "transfer"
        case .createValidator: "create_validator"
        case .stake: "stake"
        case .unstake: "unstake"
        case .delegate: "delegate"
        case .undelegate: "undelegate"
        case .submitProposal: "submit_proposal"
        case .deposit: "deposit"
        case .vote: "vote"
        case .reportDoubleSign: "report_double_sign"
        case .createTask: "create_task"
        case .joinTask: "join_task"
        case .leaveTask: "leave_task"
        case .commitUpdate: "commit_update"
        case .revealUpdate: "reveal_update"
        case .commitScores: "commit_scores"
        case .revealScores: "reveal_scores"
        case .attestModel: "attest_model"
        case .bondServer: "bond_server"
        case .unbondServer: "unbond_server"
        case .openChannel: "open_channel"
        case .fundChannel: "fund_channel"
        case .claimChannel: "claim_channel"
        case .closeChannel: "close_channel"
        case .reportForgedAnswer: "report_forged_answer"
        }
    }
}

extension Payload: CanonicalCodable {
    /// Encodes the tag, then the fields in declaration order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.tag.rawValue)
        switch self {
        case .transfer(let recipient, let amount):
            encoder.encode(recipient)
            encoder.encode(amount)
        case .createValidator(let consensusKey, let stake, let commission, let moniker):
            encoder.encode(consensusKey)
            encoder.encode(stake)
            encoder.encode(commission)
            encoder.encode(moniker)
        case .stake(let amount), .unstake(let amount), .bondServer(let amount), .unbondServer(let amount):
            encoder.encode(amount)
        case .delegate(let validator, let amount), .undelegate(let validator, let amount):
            encoder.encode(validator)
            encoder.encode(amount)
        case .submitProposal(let content, let deposit):
            encoder.encode(content)
            encoder.encode(deposit)
        case .deposit(let proposalID, let amount):
            encoder.encode(proposalID)
            encoder.encode(amount)
        case .vote(let proposalID, let option):
            encoder.encode(proposalID)
            encoder.encode(option.rawValue)
        case .reportDoubleSign(let evidence):
            encoder.encode(evidence)
        case .createTask(let spec):
            encoder.encode(spec)
        case .joinTask(let taskID, let role, let stake, let dataCommitment, let sealingKey):
            encoder.encode(taskID)
            encoder.encode(role.tag)
            encoder.encode(stake)
            encoder.encode(dataCommitment)
            encoder.encode(sealingKey)
        case .leaveTask(let taskID):
            encoder.encode(taskID)
        case .commitUpdate(let taskID, let round, let commitment), .commitScores(let taskID, let round, let commitment):
            encoder.encode(taskID)
            encoder.encode(round)
            encoder.encode(commitment)
        case .revealUpdate(let taskID, let round, let blob, let sampleCount, let salt):
            encoder.encode(taskID)
            encoder.encode(round)
            encoder.encode(blob)
            encoder.encode(sampleCount)
            encoder.encode(fixedBytes: salt)
        case .revealScores(let taskID, let round, let assessments, let salt):
            encoder.encode(taskID)
            encoder.encode(round)
            encoder.encode(assessments)
            encoder.encode(fixedBytes: salt)
        case .attestModel(let taskID, let round, let model, let metric, let improvement, let error):
            encoder.encode(taskID)
            encoder.encode(round)
            encoder.encode(model)
            encoder.encode(metric)
            encoder.encode(improvement)
            encoder.encode(error)
        case .openChannel(let server, let taskID, let version, let deposit, let price, let expiresAt):
            encoder.encode(server)
            encoder.encode(taskID)
            encoder.encode(version)
            encoder.encode(deposit)
            encoder.encode(price)
            encoder.encode(expiresAt)
        case .fundChannel(let channelID, let amount, let expiresAt):
            encoder.encode(channelID)
            encoder.encode(amount)
            encoder.encode(expiresAt)
        case .claimChannel(let voucher):
            encoder.encode(voucher)
        case .closeChannel(let channelID):
            encoder.encode(channelID)
        case .reportForgedAnswer(let evidence):
            encoder.encode(evidence)
        }
    }

    /// Decodes a payload, rejecting unknown tags and vote options.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let offset = decoder.offset
        let rawTag = try decoder.decodeUInt8()
        guard let tag = Tag(rawValue: rawTag) else {
            throw .unknownTag(offset: offset, tag: rawTag, type: "Payload")
        }
        switch tag {
        case .transfer:
            self = .transfer(to: try decoder.decode(Address.self), amount: try decoder.decodeUInt64())
        case .createValidator:
            self = .createValidator(
                consensusKey: try decoder.decode(VerifyingKey.self),
                stake: try decoder.decodeUInt64(),
                commissionBasisPoints: try decoder.decodeUInt16(),
                moniker: try decoder.decodeString(maxBytes: 64)
            )
        case .stake: self = .stake(amount: try decoder.decodeUInt64())
        case .unstake: self = .unstake(amount: try decoder.decodeUInt64())
        case .delegate:
            self = .delegate(validator: try decoder.decode(Address.self), amount: try decoder.decodeUInt64())
        case .undelegate:
            self = .undelegate(validator: try decoder.decode(Address.self), amount: try decoder.decodeUInt64())
        case .submitProposal:
            self = .submitProposal(
                content: try decoder.decode(ProposalContent.self),
                deposit: try decoder.decodeUInt64()
            )
        case .deposit:
            self = .deposit(proposalID: try decoder.decodeUInt64(), amount: try decoder.decodeUInt64())
        case .vote:
            let proposalID = try decoder.decodeUInt64()
            let optionOffset = decoder.offset
            let rawOption = try decoder.decodeUInt8()
            guard let option = VoteOption(rawValue: rawOption) else {
                throw .unknownTag(offset: optionOffset, tag: rawOption, type: "VoteOption")
            }
            self = .vote(proposalID: proposalID, option: option)
        case .reportDoubleSign:
            self = .reportDoubleSign(try decoder.decode(DuplicateVoteEvidence.self))
        case .createTask:
            self = .createTask(try decoder.decode(TaskSpec.self))
        case .joinTask:
            self = .joinTask(
                taskID: try decoder.decodeUInt64(),
                role: try decoder.decodeTagged(TaskRole.init(tag:offset:)),
                stake: try decoder.decodeUInt64(),
                dataCommitment: try decoder.decodeOptional(SHA256Digest.self),
                sealingKey: try decoder.decodeOptional(SealingPublicKey.self)
            )
        case .leaveTask:
            self = .leaveTask(taskID: try decoder.decodeUInt64())
        case .commitUpdate:
            self = .commitUpdate(
                taskID: try decoder.decodeUInt64(), round: try decoder.decodeUInt32(),
                commitment: try decoder.decode(SHA256Digest.self))
        case .revealUpdate:
            self = .revealUpdate(
                taskID: try decoder.decodeUInt64(), round: try decoder.decodeUInt32(),
                blob: try decoder.decode(SHA256Digest.self), sampleCount: try decoder.decodeUInt64(),
                salt: try decoder.decodeFixedBytes(count: RoundCommitment.saltLength))
        case .commitScores:
            self = .commitScores(
                taskID: try decoder.decodeUInt64(), round: try decoder.decodeUInt32(),
                commitment: try decoder.decode(SHA256Digest.self))
        case .revealScores:
            self = .revealScores(
                taskID: try decoder.decodeUInt64(), round: try decoder.decodeUInt32(),
                assessments: try decoder.decodeArray(
                    of: UpdateAssessment.self, maxCount: Int(TaskSpec.Limits.participantsPerRound)),
                salt: try decoder.decodeFixedBytes(count: RoundCommitment.saltLength))
        case .attestModel:
            self = .attestModel(
                taskID: try decoder.decodeUInt64(), round: try decoder.decodeUInt32(),
                model: try decoder.decode(SHA256Digest.self), metricBasisPoints: try decoder.decodeUInt16(),
                improvement: try decoder.decode(Int64.self), improvementError: try decoder.decode(Int64.self))
        case .bondServer: self = .bondServer(amount: try decoder.decodeUInt64())
        case .unbondServer: self = .unbondServer(amount: try decoder.decodeUInt64())
        case .openChannel:
            self = .openChannel(
                server: try decoder.decode(Address.self), taskID: try decoder.decodeUInt64(),
                version: try decoder.decodeUInt32(), deposit: try decoder.decodeUInt64(),
                pricePerRow: try decoder.decodeUInt64(), expiresAt: try decoder.decodeUInt64())
        case .fundChannel:
            self = .fundChannel(
                channelID: try decoder.decodeUInt64(), amount: try decoder.decodeUInt64(),
                expiresAt: try decoder.decodeUInt64())
        case .claimChannel: self = .claimChannel(try decoder.decode(ChannelVoucher.self))
        case .closeChannel: self = .closeChannel(channelID: try decoder.decodeUInt64())
        case .reportForgedAnswer: self = .reportForgedAnswer(try decoder.decode(ForgeryEvidence.self))
        }
    }
}
