// LedgerTests: validators, stake, delegation and unbonding.

import DeAICore
import DeAITesting
import Ledger
import Testing

struct StakingTests {
    static let minimum = ChainParameters().minimumValidatorStake

    /// A create-validator transaction and the receipt code it must get.
    struct CreateCase: Sendable, CustomTestStringConvertible {
        var name: String
        var sender: Int
        var consensusKey: VerifyingKey
        var stake: Amount
        var commission: UInt16
        var code: UInt16
        var testDescription: String { self.name }
    }

    static let createCases: [CreateCase] = [
        CreateCase(
            name: "at the minimum stake",
            sender: 1,
            consensusKey: newConsensusKey(1),
            stake: minimum,
            commission: 100,
            code: 0
        ),
        CreateCase(
            name: "commission of exactly 10000",
            sender: 1,
            consensusKey: newConsensusKey(1),
            stake: minimum,
            commission: 10_000,
            code: 0
        ),
        CreateCase(
            name: "below the minimum stake",
            sender: 1,
            consensusKey: newConsensusKey(1),
            stake: minimum - 1,
            commission: 100,
            code: 207
        ),
        CreateCase(
            name: "duplicate validator",
            sender: ChainFixtures.validatorIndex,
            consensusKey: newConsensusKey(1),
            stake: minimum,
            commission: 100,
            code: 203
        ),
        CreateCase(
            name: "consensus key in use",
            sender: 1,
            consensusKey: ChainFixtures.consensusKey.verifyingKey,
            stake: minimum,
            commission: 100,
            code: 217
        ),
        CreateCase(
            name: "commission above 10000",
            sender: 1,
            consensusKey: newConsensusKey(1),
            stake: minimum,
            commission: 10_001,
            code: 208
        ),
        CreateCase(
            name: "stake above the balance",
            sender: 1,
            consensusKey: newConsensusKey(1),
            stake: ChainFixtures.balance,
            commission: 100,
            code: 201
        ),
    ]

    @Test("create validator", arguments: createCases)
    func createValidator(_ testCase: CreateCase) throws {
        var ledger = try TestLedger()
        let sender = ChainFixtures.address(testCase.sender)
        let balance = ledger.balance(testCase.sender)
        let validatorBefore = ledger.state.validators[sender]
        let receipt = try ledger.apply(
            ChainFixtures.signed(
                .createValidator(
                    consensusKey: testCase.consensusKey,
                    stake: testCase.stake,
                    commissionBasisPoints: testCase.commission,
                    moniker: "new"
                ),
                from: testCase.sender,
                nonce: 0
            )
        )
        #expect(receipt.code == testCase.code)
        let feeToSelf: Amount = testCase.sender == ChainFixtures.validatorIndex ? 1 : 0
        if testCase.code == 0 {
            let validator = try #require(ledger.state.validators[sender])
            #expect(validator.selfStake == testCase.stake)
            #expect(validator.delegatedStake == 0)
            #expect(validator.consensusKey == testCase.consensusKey)
            #expect(validator.commissionBasisPoints == testCase.commission)
            #expect(ledger.balance(testCase.sender) == balance - testCase.stake - 1)
            #expect(ValidatorSet(state: ledger.state).member(sender)?.power == testCase.stake)
        } else {
            #expect(ledger.state.validators[sender] == validatorBefore)
            #expect(ledger.balance(testCase.sender) == balance - 1 + feeToSelf)
        }
        #expect(ledger.state.accountedSupply == ledger.state.globals.totalSupply)
    }

    @Test("stake and unstake: self-stake moves between balance and bond, with the right errors")
    func stakeAndUnstake() throws {
        var ledger = try TestLedger()
        let v = ChainFixtures.validatorIndex
        let address = ChainFixtures.validatorAddress
        let balance = ledger.balance(v)
        var nonce: UInt64 = 0
        func tx(_ payload: Payload) -> Transaction {
            defer { nonce += 1 }
            return ChainFixtures.signed(payload, from: v, nonce: nonce, fee: 1)
        }
        // The validator is also the proposer: its own fees come back to it.
        #expect(try ledger.apply(tx(.stake(amount: 500))).code == 0)
        #expect(ledger.state.validators[address]?.selfStake == ChainFixtures.validatorStake + 500)
        #expect(ledger.balance(v) == balance - 500)
        #expect(try ledger.apply(tx(.unstake(amount: 300))).code == 0)
        #expect(ledger.state.validators[address]?.selfStake == ChainFixtures.validatorStake + 200)
        #expect(ledger.state.unbondings.values.map(\.amount) == [300])
        #expect(ledger.balance(v) == balance - 500)
        #expect(try ledger.apply(tx(.unstake(amount: ChainFixtures.validatorStake + 201))).code == 205)
        #expect(try ledger.apply(tx(.stake(amount: 0))).code == 202)
        #expect(try ledger.apply(tx(.unstake(amount: 0))).code == 202)
        #expect(try ledger.apply(tx(.stake(amount: ChainFixtures.balance))).code == 201)
        // Not a validator.
        #expect(try ledger.apply(ChainFixtures.signed(.stake(amount: 10), from: 1, nonce: 0)).code == 204)
        #expect(try ledger.apply(ChainFixtures.signed(.unstake(amount: 10), from: 1, nonce: 1)).code == 204)
        #expect(ledger.state.accountedSupply == ledger.state.globals.totalSupply)
    }

    @Test("delegate and undelegate: the bond moves with the right errors")
    func delegateAndUndelegate() throws {
        var ledger = try TestLedger()
        let delegator = 2
        let validator = ChainFixtures.validatorAddress
        let balance = ledger.balance(delegator)
        var nonce: UInt64 = 0
        func tx(_ payload: Payload) -> Transaction {
            defer { nonce += 1 }
            return ChainFixtures.signed(payload, from: delegator, nonce: nonce, fee: 1)
        }
        #expect(try ledger.apply(tx(.delegate(validator: validator, amount: 1_000))).code == 0)
        #expect(ledger.state.delegation(from: ChainFixtures.address(delegator), to: validator) == 1_000)
        #expect(ledger.state.validators[validator]?.delegatedStake == 1_000)
        #expect(ledger.state.bondedStake(of: ChainFixtures.address(delegator)) == 1_000)
        #expect(ledger.balance(delegator) == balance - 1_001)

        #expect(try ledger.apply(tx(.undelegate(validator: validator, amount: 400))).code == 0)
        #expect(ledger.state.delegation(from: ChainFixtures.address(delegator), to: validator) == 600)
        #expect(ledger.state.validators[validator]?.delegatedStake == 600)
        #expect(ledger.state.unbondings.values.map(\.amount) == [400])

        #expect(try ledger.apply(tx(.undelegate(validator: validator, amount: 601))).code == 206)
        #expect(try ledger.apply(tx(.delegate(validator: ChainFixtures.address(3), amount: 10))).code == 204)
        #expect(try ledger.apply(tx(.undelegate(validator: ChainFixtures.address(3), amount: 10))).code == 204)
        #expect(try ledger.apply(tx(.delegate(validator: validator, amount: 0))).code == 202)
        #expect(try ledger.apply(tx(.delegate(validator: validator, amount: ChainFixtures.balance))).code == 201)

        // Undelegating everything removes the delegation entry.
        #expect(try ledger.apply(tx(.undelegate(validator: validator, amount: 600))).code == 0)
        #expect(ledger.state.delegations.isEmpty)
        #expect(ledger.state.validators[validator]?.delegatedStake == 0)
        #expect(ledger.state.delegationsAddUp)
        #expect(ledger.state.accountedSupply == ledger.state.globals.totalSupply)
    }

    @Test(
        "unbonding returns the funds exactly after unbonding_period blocks, not before",
        arguments: [1, 3, 7] as [UInt64]
    )
    func unbonding(period: UInt64) throws {
        var parameters = ChainParameters()
        parameters.unbondingPeriod = period
        var ledger = try TestLedger(genesis: ChainFixtures.genesis(parameters: parameters))
        // Account 2 delegates to a validator that never proposes, so it earns no reward that would blur the count.
        try ledger.block([
            ChainFixtures.signed(
                .createValidator(
                    consensusKey: newConsensusKey(3),
                    stake: 5_000,
                    commissionBasisPoints: 0,
                    moniker: "v3"
                ),
                from: 3,
                nonce: 0
            ),
            ChainFixtures.signed(.delegate(validator: ChainFixtures.address(3), amount: 2_000), from: 2, nonce: 0),
        ])
        let outcome = try ledger.block([
            ChainFixtures.signed(.undelegate(validator: ChainFixtures.address(3), amount: 1_500), from: 2, nonce: 1)
        ])
        #expect(outcome.receipts.map(\.code) == [0])
        let undelegatedAt = ledger.height
        let balance = ledger.balance(2)
        let entry = try #require(ledger.state.unbondings.values.first)
        #expect(entry.completionHeight == undelegatedAt + period)
        #expect(entry.amount == 1_500)

        for _ in 1..<period {
            try ledger.block()
            #expect(ledger.balance(2) == balance, "at height \(ledger.height)")
            #expect(ledger.state.unbondings.count == 1)
        }
        try ledger.block()
        #expect(ledger.height == undelegatedAt + period)
        #expect(ledger.balance(2) == balance + 1_500)
        #expect(ledger.state.unbondings.isEmpty)
        #expect(ledger.state.accountedSupply == ledger.state.globals.totalSupply)
    }

    @Test("an unbonding period too long to add to the height never completes instead of wrapping around")
    func unbondingPeriodSaturates() throws {
        var parameters = ChainParameters()
        parameters.unbondingPeriod = .max
        parameters.votingPeriod = .max
        var ledger = try TestLedger(genesis: ChainFixtures.genesis(parameters: parameters))
        let balance = ledger.balance(2)
        try ledger.block([
            ChainFixtures.signed(.delegate(validator: ChainFixtures.validatorAddress, amount: 500), from: 2, nonce: 0),
            ChainFixtures.signed(
                .undelegate(validator: ChainFixtures.validatorAddress, amount: 500),
                from: 2,
                nonce: 1
            ),
            ChainFixtures.signed(
                .submitProposal(content: .text(title: "t", description: ""), deposit: 1_000),
                from: 3,
                nonce: 0
            ),
        ])
        try ledger.emptyBlocks(2)
        #expect(ledger.state.unbondings.values.map(\.completionHeight) == [.max])
        #expect(ledger.balance(2) == balance - 502)
        #expect(ledger.state.proposals[1]?.status == .voting)
        #expect(ledger.state.proposals[1]?.votingEndHeight == .max)
    }
}
