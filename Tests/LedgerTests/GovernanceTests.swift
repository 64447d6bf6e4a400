// LedgerTests: proposals, deposits, votes, tallies, and the execution of passed proposals.

import DeAICore
import DeAITesting
import Ledger
import Testing

struct GovernanceTests {
    static let votingPeriod: UInt64 = 5
    static let minimumDeposit: Amount = 1_000
    static let validator = ChainFixtures.validatorIndex

    /// No block reward, so that every balance change below is a fee, a deposit or a proposal's effect.
    static func ledger(treasury: Amount = 0) throws -> TestLedger {
        var parameters = ChainParameters()
        parameters.blockReward = 0
        parameters.votingPeriod = votingPeriod
        parameters.depositPeriod = 4
        parameters.proposalMinimumDeposit = minimumDeposit
        return try TestLedger(genesis: ChainFixtures.genesis(parameters: parameters, treasury: treasury))
    }

    static let raiseFee = ProposalContent.parameterChange(
        title: "raise the fee",
        changes: [ParameterChange(name: "minimum_fee", value: 5)]
    )

    @Test(
        "a parameter change with the minimum deposit votes, passes by stake and takes effect at the end of the voting period"
    )
    func parameterChangePasses() throws {
        var ledger = try Self.ledger()
        let balance = ledger.balance(1)
        let outcome = try ledger.block([
            ChainFixtures.signed(
                .submitProposal(content: Self.raiseFee, deposit: Self.minimumDeposit),
                from: 1,
                nonce: 0
            )
        ])
        #expect(outcome.receipts.map(\.code) == [0])
        let submittedAt = ledger.height
        var proposal = try #require(ledger.state.proposals[1])
        #expect(proposal.status == .voting)
        #expect(proposal.votingEndHeight == submittedAt + Self.votingPeriod)
        #expect(proposal.totalDeposit == Self.minimumDeposit)
        #expect(ledger.balance(1) == balance - Self.minimumDeposit - 1)

        try ledger.block([ChainFixtures.signed(.vote(proposalID: 1, option: .yes), from: Self.validator, nonce: 0)])
        while ledger.height < submittedAt + Self.votingPeriod - 1 {
            try ledger.block()
            #expect(
                ledger.state.parameters.minimumFee == 1,
                "not before the end of the voting period (height \(ledger.height))"
            )
            #expect(ledger.state.proposals[1]?.status == .voting)
        }
        try ledger.block()
        proposal = try #require(ledger.state.proposals[1])
        #expect(proposal.status == .passed)
        #expect(proposal.tally?.yes == ChainFixtures.validatorStake)
        #expect(ledger.state.parameters.minimumFee == 5)
        #expect(ledger.balance(1) == balance - 1, "the deposit is refunded")
        #expect(ledger.state.accountedSupply == ledger.state.globals.totalSupply)

        // The new parameter is enforced.
        let error = #expect(throws: LedgerError.self) {
            try ledger.block([
                ChainFixtures.transfer(from: 2, to: ChainFixtures.address(3), amount: 1, nonce: 0, fee: 4)
            ])
        }
        #expect(error?.code == 108)
    }

    @Test("a treasury spend pays the recipient from the treasury")
    func treasurySpend() throws {
        var ledger = try Self.ledger(treasury: 50_000)
        let recipient = 6
        let balance = ledger.balance(recipient)
        let spend = ProposalContent.treasurySpend(
            title: "grant",
            recipient: ChainFixtures.address(recipient),
            amount: 10_000
        )
        try ledger.block([
            ChainFixtures.signed(.submitProposal(content: spend, deposit: Self.minimumDeposit), from: 1, nonce: 0),
            ChainFixtures.signed(.vote(proposalID: 1, option: .yes), from: Self.validator, nonce: 0),
        ])
        try ledger.emptyBlocks(Int(Self.votingPeriod))
        #expect(ledger.state.proposals[1]?.status == .passed)
        #expect(ledger.balance(recipient) == balance + 10_000)
        #expect(ledger.state.globals.treasury == 40_000)
        #expect(ledger.state.accountedSupply == ledger.state.globals.totalSupply)
    }

    @Test("a passed spend the treasury cannot pay fails, and the deposits are refunded")
    func treasurySpendTooLarge() throws {
        var ledger = try Self.ledger(treasury: 500)
        let balance = ledger.balance(1)
        let spend = ProposalContent.treasurySpend(title: "grant", recipient: ChainFixtures.address(6), amount: 10_000)
        try ledger.block([
            ChainFixtures.signed(.submitProposal(content: spend, deposit: Self.minimumDeposit), from: 1, nonce: 0),
            ChainFixtures.signed(.vote(proposalID: 1, option: .yes), from: Self.validator, nonce: 0),
        ])
        try ledger.emptyBlocks(Int(Self.votingPeriod))
        #expect(ledger.state.proposals[1]?.status == .failed)
        #expect(ledger.state.globals.treasury == 500)
        #expect(ledger.balance(6) == ChainFixtures.balance)
        #expect(ledger.balance(1) == balance - 1)
    }

    /// How a tally ends and what happens to the deposits.
    struct TallyCase: Sendable, CustomTestStringConvertible {
        var name: String
        /// Votes: test-key index and option. Key 0 is the validator (100,000 stake); key 1 delegates 10,000 first.
        var votes: [(Int, VoteOption)]
        var status: ProposalStatus
        var burned: Bool
        var testDescription: String { self.name }
    }

    static let tallyCases: [TallyCase] = [
        TallyCase(
            name: "quorum not reached: rejected, deposits refunded",
            votes: [(1, .yes)],
            status: .rejected,
            burned: false
        ),
        TallyCase(name: "nobody votes: rejected, deposits refunded", votes: [], status: .rejected, burned: false),
        TallyCase(
            name: "veto: rejected, deposits burned",
            votes: [(0, .noWithVeto), (1, .yes)],
            status: .rejected,
            burned: true
        ),
        TallyCase(
            name: "no: rejected, deposits refunded",
            votes: [(0, .no), (1, .yes)],
            status: .rejected,
            burned: false
        ),
        TallyCase(
            name: "abstain only: rejected, deposits refunded",
            votes: [(0, .abstain)],
            status: .rejected,
            burned: false
        ),
        TallyCase(
            name: "yes by the larger stake: passed",
            votes: [(0, .yes), (1, .no)],
            status: .passed,
            burned: false
        ),
        TallyCase(
            name: "a later vote replaces an earlier one",
            votes: [(0, .no), (0, .yes)],
            status: .passed,
            burned: false
        ),
    ]

    @Test("tally", arguments: tallyCases)
    func tally(_ testCase: TallyCase) throws {
        var ledger = try Self.ledger()
        try ledger.block([
            ChainFixtures.signed(
                .delegate(validator: ChainFixtures.validatorAddress, amount: 10_000),
                from: 1,
                nonce: 0
            )
        ])
        // Two depositors: key 2 submits half the minimum, key 3 completes it.
        let half = Self.minimumDeposit / 2
        try ledger.block([
            ChainFixtures.signed(.submitProposal(content: Self.raiseFee, deposit: half), from: 2, nonce: 0),
            ChainFixtures.signed(.deposit(proposalID: 1, amount: half), from: 3, nonce: 0),
        ])
        #expect(ledger.state.proposals[1]?.status == .voting)
        let supply = ledger.state.globals.totalSupply
        let balances = (2, 3, ledger.balance(2), ledger.balance(3))
        var nonces: [Int: UInt64] = [1: 1]
        let votes = testCase.votes.map { voter, option in
            defer { nonces[voter, default: 0] += 1 }
            return ChainFixtures.signed(
                .vote(proposalID: 1, option: option),
                from: voter,
                nonce: nonces[voter, default: 0]
            )
        }
        #expect(try ledger.block(votes).receipts.allSatisfy(\.succeeded))
        try ledger.emptyBlocks(Int(Self.votingPeriod))

        let proposal = try #require(ledger.state.proposals[1])
        #expect(proposal.status == testCase.status)
        #expect(ledger.state.parameters.minimumFee == (testCase.status == .passed ? 5 : 1))
        let refund: Amount = testCase.burned ? 0 : half
        #expect(ledger.balance(balances.0) == balances.2 + refund)
        #expect(ledger.balance(balances.1) == balances.3 + refund)
        #expect(ledger.state.globals.totalSupply == supply - (testCase.burned ? Self.minimumDeposit : 0))
        #expect(ledger.state.accountedSupply == ledger.state.globals.totalSupply)
    }

    @Test(
        "a proposal whose deposit never reaches the minimum is rejected at the end of the deposit period, deposit refunded"
    )
    func depositPeriodExpires() throws {
        var ledger = try Self.ledger()
        let balance = ledger.balance(1)
        try ledger.block([ChainFixtures.signed(.submitProposal(content: Self.raiseFee, deposit: 10), from: 1, nonce: 0)]
        )
        #expect(ledger.state.proposals[1]?.status == .depositPeriod)
        let vote = try ledger.block([
            ChainFixtures.signed(.vote(proposalID: 1, option: .yes), from: Self.validator, nonce: 0)
        ])
        #expect(vote.receipts.first?.code == 210)
        try ledger.emptyBlocks(3)
        #expect(ledger.state.proposals[1]?.status == .rejected)
        #expect(ledger.balance(1) == balance - 1)
        #expect(ledger.state.accountedSupply == ledger.state.globals.totalSupply)
    }

    /// A governance transaction that must fail in its receipt with `code`, leaving only fee and nonce changed.
    struct FailureCase: Sendable, CustomTestStringConvertible {
        var name: String
        var sender: Int
        var payload: Payload
        var code: UInt16
        var testDescription: String { self.name }
    }

    static let failureCases: [FailureCase] = [
        FailureCase(
            name: "vote on an unknown proposal",
            sender: 0,
            payload: .vote(proposalID: 9, option: .yes),
            code: 209
        ),
        FailureCase(
            name: "vote on a closed proposal",
            sender: 0,
            payload: .vote(proposalID: 1, option: .yes),
            code: 210
        ),
        FailureCase(name: "vote with no stake", sender: 4, payload: .vote(proposalID: 2, option: .yes), code: 215),
        FailureCase(
            name: "deposit on an unknown proposal",
            sender: 4,
            payload: .deposit(proposalID: 9, amount: 10),
            code: 209
        ),
        FailureCase(
            name: "deposit on a closed proposal",
            sender: 4,
            payload: .deposit(proposalID: 1, amount: 10),
            code: 211
        ),
        FailureCase(name: "zero deposit", sender: 4, payload: .deposit(proposalID: 2, amount: 0), code: 202),
        FailureCase(
            name: "unknown parameter name at submission",
            sender: 4,
            payload: .submitProposal(
                content: .parameterChange(title: "t", changes: [ParameterChange(name: "no_such_thing", value: 1)]),
                deposit: 1_000
            ),
            code: 213
        ),
        FailureCase(
            name: "invalid parameter value at submission",
            sender: 4,
            payload: .submitProposal(
                content: .parameterChange(
                    title: "t",
                    changes: [ParameterChange(name: "quorum_basis_points", value: 10_001)]
                ),
                deposit: 1_000
            ),
            code: 214
        ),
        FailureCase(
            name: "a threshold that no vote could pass",
            sender: 4,
            payload: .submitProposal(
                content: .parameterChange(
                    title: "t",
                    changes: [ParameterChange(name: "threshold_basis_points", value: 10_000)]
                ),
                deposit: 1_000
            ),
            code: 214
        ),
        FailureCase(
            name: "empty title",
            sender: 4,
            payload: .submitProposal(content: .text(title: "", description: "d"), deposit: 1_000),
            code: 212
        ),
        FailureCase(
            name: "deposit above the balance",
            sender: 4,
            payload: .submitProposal(content: .text(title: "t", description: "d"), deposit: ChainFixtures.balance),
            code: 201
        ),
        FailureCase(
            name: "zero treasury spend",
            sender: 4,
            payload: .submitProposal(
                content: .treasurySpend(title: "t", recipient: ChainFixtures.address(5), amount: 0),
                deposit: 1_000
            ),
            code: 202
        ),
    ]

    @Test(
        "governance failures are recorded in the receipt and change nothing but fee and nonce",
        arguments: failureCases
    )
    func failure(_ testCase: FailureCase) throws {
        var ledger = try Self.ledger()
        // Proposal 1: passed and closed. Proposal 2: in its voting period.
        try ledger.block([
            ChainFixtures.signed(
                .submitProposal(content: .text(title: "one", description: ""), deposit: Self.minimumDeposit),
                from: 1,
                nonce: 0
            ),
            ChainFixtures.signed(.vote(proposalID: 1, option: .yes), from: Self.validator, nonce: 0),
        ])
        try ledger.emptyBlocks(Int(Self.votingPeriod))
        #expect(ledger.state.proposals[1]?.status == .passed)
        try ledger.block([
            ChainFixtures.signed(
                .submitProposal(content: .text(title: "two", description: ""), deposit: Self.minimumDeposit),
                from: 1,
                nonce: 1
            )
        ])
        #expect(ledger.state.proposals[2]?.status == .voting)
        _ = ledger.state.takeChanges()

        let sender = ChainFixtures.address(testCase.sender)
        let nonce = ledger.state.account(sender).nonce
        let receipt = try ledger.apply(ChainFixtures.signed(testCase.payload, from: testCase.sender, nonce: nonce))
        #expect(receipt.code == testCase.code)
        #expect(!receipt.message.isEmpty)
        let changed = Set(ledger.state.takeChanges().map(\.key))
        #expect(changed == [StateKey.account(sender).bytes, StateKey.account(ChainFixtures.validatorAddress).bytes])
        #expect(ledger.state.proposals.count == 2)
    }
}
