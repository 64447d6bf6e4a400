// LedgerSamples: valid ledger values, made with the real initializers, for the seed corpora of several targets.

public import DeAICore
public import Ledger

/// Valid ledger values for seeds: signed transactions of several kinds, votes, a commit and a block.
public enum LedgerSamples {
    /// The chain every sample belongs to.
    public static let chainID = "deai-fuzz"

    /// A task spec with every field set.
    public static let taskSpec = TaskSpec(
        name: "digits", modelSpec: "mlp:64-32-10", dataSchema: "csv:label", initialModel: FuzzSeeds.digest("model"),
        rounds: 3, participantsPerRound: 4, enrollmentBlocks: 5, updateBlocks: 6, scoreBlocks: 7, revealBlocks: 8,
        attestBlocks: 9, rewardPool: 1_000, aggregationRule: "fedavg", minimumStake: 10,
        evaluatorShareBasisPoints: 2_000, slashBasisPoints: 500, revealDeposit: 3, harmTolerance: -7,
        trainingSettings: "{}", evaluationSettings: "{}"
    )

    /// One payload of each family: tokens, staking, governance, tasks.
    public static var payloads: [(name: String, payload: Payload)] {
        let other = FuzzSeeds.signingKey(2).verifyingKey
        return [
            ("transfer", .transfer(to: other.address, amount: 1_234)),
            ("create-validator", .createValidator(consensusKey: other, stake: 50, commissionBasisPoints: 100, moniker: "v1")),
            ("delegate", .delegate(validator: other.address, amount: 7)),
            ("proposal", .submitProposal(
                content: .parameterChange(title: "fees", changes: [ParameterChange(name: "minimum_fee", value: 2)]),
                deposit: 100)),
            ("vote", .vote(proposalID: 1, option: .noWithVeto)),
            ("create-task", .createTask(Self.taskSpec)),
            ("join-task", .joinTask(taskID: 1, role: .trainer, stake: 10, dataCommitment: FuzzSeeds.digest("data"))),
            ("reveal-update", .revealUpdate(taskID: 1, round: 2, blob: FuzzSeeds.digest("blob"), sampleCount: 99,
                salt: [1, 2, 3, 4])),
            ("reveal-scores", .revealScores(taskID: 1, round: 2,
                assessments: [UpdateAssessment(score: -3, harm: 4, harmError: 1, excluded: false)], salt: [9])),
            ("attest-model", .attestModel(taskID: 1, round: 2, model: FuzzSeeds.digest("aggregate"),
                metricBasisPoints: 9_100, improvement: -12, improvementError: 5)),
        ]
    }

    /// `payload` in a transaction signed by the key of byte 1.
    public static func transaction(_ payload: Payload, nonce: UInt64 = 0) -> Transaction {
        let key = FuzzSeeds.signingKey(1)
        let body = TransactionBody(
            chainID: Self.chainID, sender: key.verifyingKey, nonce: nonce, fee: 5, payload: payload, memo: "seed")
        // The body's sender is this key, so signing cannot fail.
        return try! Transaction(signing: body, with: key)
    }

    /// A precommit for `blockHash` by the key of byte `keyByte`.
    public static func precommit(_ blockHash: SHA256Digest?, keyByte: UInt8 = 1) -> SignedVote {
        let key = FuzzSeeds.signingKey(keyByte)
        let vote = Vote(kind: .precommit, chainID: Self.chainID, height: 2, round: 0, blockHash: blockHash,
            validator: key.verifyingKey.address)
        return try! SignedVote(signing: vote, with: key)
    }

    /// The validators of keys 1 and 2, power 10 each.
    public static var validatorSet: ValidatorSet {
        ValidatorSet(members: [1, 2].map { (byte: UInt8) in
            let key = FuzzSeeds.signingKey(byte).verifyingKey
            return ValidatorSet.Member(address: key.address, consensusKey: key, power: 10)
        })
    }

    /// A commit of `blockHash` at height 2 signed by both validators, in address order.
    public static func commit(_ blockHash: SHA256Digest) -> Commit {
        let signatures = [UInt8(1), 2].map { byte in
            let key = FuzzSeeds.signingKey(byte)
            let vote = Vote(kind: .precommit, chainID: Self.chainID, height: 2, round: 0, blockHash: blockHash,
                validator: key.verifyingKey.address)
            return try! CommitSignature(signing: vote, with: key)
        }
        return Commit(height: 2, round: 0, blockHash: blockHash, signatures: signatures.sorted { $0.validator < $1.validator })
    }

    /// A block at height 3 whose header carries the commit of block 2, with two transactions.
    public static var block: Block {
        let transactions = [Self.transaction(.stake(amount: 3)), Self.transaction(.leaveTask(taskID: 1), nonce: 1)]
        let header = BlockHeader(
            chainID: Self.chainID, height: 3, time: 1_700_000_000_000, previousBlockHash: FuzzSeeds.digest("block 2"),
            transactionsRoot: Block.transactionsRoot(of: transactions.map(\.canonicalEncoding)),
            stateRoot: FuzzSeeds.digest("state"), receiptsRoot: FuzzSeeds.digest("receipts"),
            proposer: FuzzSeeds.signingKey(1).verifyingKey.address, validatorSetHash: FuzzSeeds.digest("validators"),
            nextValidatorSetHash: FuzzSeeds.digest("validators"), lastCommit: Self.commit(FuzzSeeds.digest("block 2")))
        return Block(header: header, transactions: transactions)
    }
}
