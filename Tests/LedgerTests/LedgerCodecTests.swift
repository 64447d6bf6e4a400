// LedgerTests: canonical round trips of transactions, blocks, headers with commits, proposals and state values.

import DeAICore
import DeAITesting
import Foundation
import Ledger
import Testing

struct LedgerCodecTests {
    /// Decodes `value`'s encoding, checks it equals `value`, and that re-encoding gives the same bytes.
    static func roundTrip<T: CanonicalCodable & Equatable>(
        _ value: T,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let bytes = value.canonicalEncoding
        let decoded = try T(canonicalEncoding: bytes)
        #expect(decoded == value, sourceLocation: sourceLocation)
        #expect(decoded.canonicalEncoding == bytes, sourceLocation: sourceLocation)
        // Strict: one byte more or less does not decode.
        #expect(throws: CodecError.self, sourceLocation: sourceLocation) { try T(canonicalEncoding: bytes + [0]) }
        #expect(throws: CodecError.self, sourceLocation: sourceLocation) {
            try T(canonicalEncoding: Array(bytes.dropLast()))
        }
    }

    static let payloads: [Payload] = [
        .transfer(to: ChainFixtures.address(2), amount: 12_345_678_901),
        .createValidator(
            consensusKey: newConsensusKey(1),
            stake: 1_000,
            commissionBasisPoints: 10_000,
            moniker: "validator é"
        ),
        .stake(amount: 1),
        .unstake(amount: .max),
        .delegate(validator: ChainFixtures.validatorAddress, amount: 300),
        .undelegate(validator: ChainFixtures.validatorAddress, amount: 0),
        .submitProposal(
            content: .text(title: "hello", description: String(repeating: "x", count: 4_096)),
            deposit: 1_000
        ),
        .submitProposal(
            content: .parameterChange(
                title: "p",
                changes: [
                    ParameterChange(name: "block_reward", value: 5), ParameterChange(name: "voting_period", value: 7),
                ]
            ),
            deposit: 0
        ),
        .submitProposal(
            content: .treasurySpend(title: "grant", recipient: ChainFixtures.address(9), amount: 77),
            deposit: 5
        ),
        .deposit(proposalID: 3, amount: 4),
        .vote(proposalID: 1, option: .yes), .vote(proposalID: 1, option: .no),
        .vote(proposalID: 1, option: .abstain), .vote(proposalID: .max, option: .noWithVeto),
        .createTask(TrainingFixtures.spec()),
        .joinTask(taskID: 1, role: .trainer, stake: 500, dataCommitment: nil),
        .joinTask(taskID: .max, role: .evaluator, stake: .max, dataCommitment: SHA256Digest(hashing: [4])),
        .leaveTask(taskID: 7),
        .commitUpdate(taskID: 1, round: 3, commitment: SHA256Digest(hashing: [5])),
        .revealUpdate(
            taskID: 1, round: 3, blob: SHA256Digest(hashing: [1, 2, 3]), sampleCount: 120,
            salt: [UInt8](repeating: 7, count: RoundCommitment.saltLength)),
        .commitScores(taskID: 1, round: 2, commitment: SHA256Digest(hashing: [6])),
        .revealScores(
            taskID: 1, round: 2,
            assessments: [
                UpdateAssessment(score: 0, harm: -1, harmError: 1, excluded: false),
                UpdateAssessment(score: .min, harm: .max, harmError: 0, excluded: true),
            ],
            salt: [UInt8](repeating: 0, count: RoundCommitment.saltLength)),
        .revealScores(taskID: 1, round: 2, assessments: [], salt: [UInt8](repeating: 1, count: RoundCommitment.saltLength)),
        .attestModel(taskID: 2, round: .max, model: SHA256Digest(hashing: [9]), metricBasisPoints: 9_512, improvement: -42,
                     improvementError: 7),
        .reportDoubleSign(Self.doubleVote),
    ]

    /// Two conflicting prevotes of the genesis validator, signed.
    static let doubleVote: DuplicateVoteEvidence = {
        func vote(_ block: SHA256Digest?) -> SignedVote {
            let vote = Vote(
                kind: .prevote, chainID: ChainFixtures.chainID, height: 9, round: 2, blockHash: block,
                validator: ChainFixtures.validatorAddress)
            do {
                return try SignedVote(signing: vote, with: ChainFixtures.consensusKey)
            } catch {
                preconditionFailure("signing with a valid key cannot fail: \(error)")
            }
        }
        return DuplicateVoteEvidence(vote(SHA256Digest(hashing: [1])), vote(nil))
    }()

    @Test("retired payload tags never decode: the first round protocol's, task terms without a regression confidence or without privacy terms, and the attestation without an error",
          arguments: [16, 17, 19, 20, 21, 22, 28, 30] as [UInt8])
    func retiredTags(tag: UInt8) {
        #expect(throws: CodecError.self) { try Payload(canonicalEncoding: [tag, 1, 1] + [UInt8](repeating: 0, count: 40)) }
    }

    @Test("a transaction round-trips with every payload", arguments: payloads)
    func transaction(_ payload: Payload) throws {
        let tx = ChainFixtures.signed(payload, from: 3, nonce: 42, fee: 9, memo: "memo ✓")
        try Self.roundTrip(tx)
        try Self.roundTrip(tx.body)
        try Self.roundTrip(payload)
        let decoded = try Transaction(canonicalEncoding: tx.canonicalEncoding)
        #expect(decoded.hash == tx.hash)
        #expect(decoded.hasValidSignature)
    }

    static func header(height: Height, lastCommit: Commit?) -> BlockHeader {
        BlockHeader(
            chainID: ChainFixtures.chainID,
            height: height,
            time: ChainFixtures.genesisTime + height,
            previousBlockHash: SHA256Digest(hashing: [1]),
            transactionsRoot: SHA256Digest(hashing: [2]),
            stateRoot: SHA256Digest(hashing: [3]),
            receiptsRoot: SHA256Digest(hashing: [4]),
            proposer: ChainFixtures.validatorAddress,
            validatorSetHash: SHA256Digest(hashing: [5]),
            nextValidatorSetHash: SHA256Digest(hashing: [6]),
            lastCommit: lastCommit
        )
    }

    static func commit(for header: BlockHeader) throws -> Commit {
        var commit = Commit(height: header.height, round: 2, blockHash: header.hash, signatures: [])
        let vote = commit.vote(chainID: header.chainID, validator: ChainFixtures.validatorAddress)
        commit.signatures = [
            CommitSignature(
                validator: ChainFixtures.validatorAddress,
                signature: try ChainFixtures.consensusKey.signature(for: vote.signingBytes)
            )
        ]
        return commit
    }

    @Test("block headers round-trip with and without a commit, and the hash covers the commit")
    func header() throws {
        let first = Self.header(height: 1, lastCommit: nil)
        try Self.roundTrip(first)
        let commit = try Self.commit(for: first)
        try Self.roundTrip(commit)
        let second = Self.header(height: 2, lastCommit: commit)
        try Self.roundTrip(second)
        var other = second
        other.lastCommit?.round = 3
        #expect(other.hash != second.hash)
    }

    @Test("a block round-trips with its transactions in order")
    func block() throws {
        let transactions = Self.payloads.enumerated().map { ChainFixtures.signed($1, from: $0 % 4, nonce: UInt64($0)) }
        let header = Self.header(height: 2, lastCommit: try Self.commit(for: Self.header(height: 1, lastCommit: nil)))
        try Self.roundTrip(Block(header: header, transactions: transactions))
        try Self.roundTrip(Block(header: header, transactions: []))
    }

    @Test("a proposal round-trips with its deposits, tally and failure reason")
    func proposal() throws {
        var tally = TallyResult()
        tally.add(10, for: .yes)
        tally.add(3, for: .noWithVeto)
        let proposal = Proposal(
            id: 7,
            proposer: ChainFixtures.address(1),
            content: .parameterChange(title: "p", changes: [ParameterChange(name: "minimum_fee", value: 2)]),
            status: .failed,
            submitHeight: 10,
            depositEndHeight: 30,
            votingEndHeight: 40,
            totalDeposit: 1_500,
            deposits: [ChainFixtures.address(1): 1_000, ChainFixtures.address(2): 300, ChainFixtures.address(3): 200],
            tally: tally,
            failure: .executionFailed(code: 201)
        )
        try Self.roundTrip(proposal)
        try Self.roundTrip(
            Proposal(
                id: 1,
                proposer: ChainFixtures.address(1),
                content: .text(title: "t", description: ""),
                status: .depositPeriod,
                submitHeight: 1,
                depositEndHeight: 2
            )
        )
    }

    @Test("state values and receipts round-trip")
    func stateValues() throws {
        var parameters = ChainParameters()
        parameters.votingPeriod = 99
        try Self.roundTrip(parameters)
        var globals = GlobalState()
        globals.treasury = 5
        globals.totalSupply = .max
        try Self.roundTrip(globals)
        try Self.roundTrip(Account(balance: .max, nonce: 3))
        try Self.roundTrip(
            Validator(
                operatorAddress: ChainFixtures.address(1),
                consensusKey: newConsensusKey(1),
                moniker: "m",
                selfStake: 5,
                delegatedStake: 6,
                commissionBasisPoints: 7
            )
        )
        try Self.roundTrip(
            Unbonding(
                owner: ChainFixtures.address(1),
                validator: ChainFixtures.address(2),
                amount: 3,
                startHeight: 2,
                completionHeight: 4
            )
        )
        try Self.roundTrip(
            TransactionReceipt(
                transactionHash: SHA256Digest(hashing: [9]),
                height: 3,
                index: 2,
                code: 201,
                message: "insufficient funds",
                fee: 1
            )
        )
    }

    @Test("an out-of-range parameter in a stored encoding does not decode")
    func invalidParameters() throws {
        var encoder = CanonicalEncoder()
        for name in ChainParameters.names {
            encoder.encode(name == "quorum_basis_points" ? 10_001 : ChainParameters().value(named: name)!)
        }
        #expect(throws: CodecError.self) { try ChainParameters(canonicalEncoding: encoder.bytes) }
    }
}

@Suite("Canonical encodings found by fuzzing")
struct FuzzFoundEncodingTests {
    /// `report_forged_answer` whose evidence declared zero rows of width 39 (FuzzTransaction, 2026-12-07): it decoded
    /// to no rows, which encode with width 0, so two encodings meant one payload.
    static let zeroRowsWithAWidth = Array(Data(base64Encoded:
        "JUEA////////////qf//////////AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAkAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACcnJycnJycnJycnJycnJycnJycnJycABAEBdCcnJycnJycnJycnJycnJycnJycnJycnJwAAAAAAAAAAAAAAHZQSG/N0iAG0D28AAAAAAAAAAAAAAAAAAAAAAAAAAHkAAAAnJycnJycnJycAACcAAA=="
    )!)

    @Test("a payload decodes only from its own encoding: every byte string that decodes re-encodes to itself")
    func fuzzFoundPayloads() {
        let bytes = Self.zeroRowsWithAWidth
        if let payload = try? Payload(canonicalEncoding: bytes) {
            #expect(payload.canonicalEncoding == bytes, "a second encoding of \(payload.tag)")
        }
    }

    @Test("rows decode only in their one encoding: no rows have width 0")
    func rowsWithoutRows() throws {
        var encoder = CanonicalEncoder()
        encoder.encode(UInt64(0))
        encoder.encode(UInt64(3))
        #expect(throws: CodecError.self) { try InferenceRows(canonicalEncoding: encoder.bytes) }
        #expect(try InferenceRows(canonicalEncoding: InferenceRows([]).canonicalEncoding).rows.isEmpty)
    }
}
