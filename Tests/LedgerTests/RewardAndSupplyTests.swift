// LedgerTests: the block reward split, and the supply bookkeeping over random blocks.

import DeAICore
import DeAITesting
import Ledger
import Testing

struct RewardAndSupplyTests {
    @Test("the block reward goes to the treasury, the proposer and its delegators, integer-exact")
    func blockReward() throws {
        var parameters = ChainParameters()
        parameters.blockReward = 1_001
        parameters.treasuryShareBasisPoints = 1_000
        var ledger = try TestLedger(genesis: ChainFixtures.genesis(parameters: parameters))
        let validator = ChainFixtures.validatorAddress
        // Delegations of 30,001 and 19,999 to the validator (100,000 self-stake, 5% commission).
        try ledger.block([
            ChainFixtures.signed(.delegate(validator: validator, amount: 30_001), from: 1, nonce: 0, fee: 0 + 1),
            ChainFixtures.signed(.delegate(validator: validator, amount: 19_999), from: 2, nonce: 0, fee: 1),
        ])
        let treasury = ledger.state.globals.treasury
        let supply = ledger.state.globals.totalSupply
        let before = (0..<3).map { ledger.balance($0) }

        try ledger.block()

        // reward 1001: treasury 10% = 100 (rounded down), 901 left for the validator.
        // delegators' part = 901 × 50,000 / 150,000 = 300; commission 5% = 15; 285 shared by stake:
        // 285 × 30,001 / 50,000 = 171 and 285 × 19,999 / 50,000 = 113; the operator keeps 901 − 284 = 617.
        #expect(ledger.state.globals.treasury - treasury == 100)
        #expect(ledger.state.globals.totalSupply - supply == 1_001)
        #expect(ledger.balance(1) - before[1] == 171)
        #expect(ledger.balance(2) - before[2] == 113)
        #expect(ledger.balance(0) - before[0] == 617)
        #expect(ledger.state.accountedSupply == ledger.state.globals.totalSupply)
    }

    @Test("a block with no delegators: the operator takes all but the treasury's share")
    func rewardWithoutDelegators() throws {
        var ledger = try TestLedger()
        let balance = ledger.balance(0)
        try ledger.block()
        let reward = ChainParameters().blockReward
        let treasuryShare = reward * ChainParameters().treasuryShareBasisPoints / 10_000
        #expect(ledger.state.globals.treasury == treasuryShare)
        #expect(ledger.balance(0) == balance + reward - treasuryShare)
    }

    @Test("a proposer with no validator: the whole reward goes to the treasury")
    func rewardToTreasury() throws {
        var ledger = try TestLedger()
        ledger.proposer = ChainFixtures.address(5)
        try ledger.block()
        #expect(ledger.state.globals.treasury == ChainParameters().blockReward)
        #expect(ledger.balance(5) == ChainFixtures.balance)
        #expect(ledger.state.accountedSupply == ledger.state.globals.totalSupply)
    }

    // MARK: - Supply over random blocks

    /// A random but valid-looking sequence of transactions: transfers, staking, delegation, governance.
    static func randomBlock(
        _ ledger: TestLedger,
        nonces: inout [Int: UInt64],
        using rng: inout SeededGenerator
    ) -> [Transaction] {
        let accounts = 6
        var transactions: [Transaction] = []
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            let sender = Int.random(in: 0..<accounts, using: &rng)
            let other = Int.random(in: 0..<accounts + 2, using: &rng)
            let amount = Amount.random(in: 0...3_000, using: &rng)
            let validators = ledger.state.validators.keys.sorted()
            let validator = validators[Int.random(in: 0..<validators.count, using: &rng)]
            // Mostly a proposal open for votes, so that tallies reach quorum, pass, fail and veto.
            let voting = ledger.state.proposals.values.filter { $0.status == .voting }.map(\.id).sorted()
            let proposalID =
                !voting.isEmpty && Int.random(in: 0..<4, using: &rng) > 0
                ? voting[Int.random(in: 0..<voting.count, using: &rng)]
                : UInt64.random(in: 1...(ledger.state.globals.nextProposalID), using: &rng)
            let payload: Payload
            switch Int.random(in: 0..<11, using: &rng) {
            case 0, 1, 2: payload = .transfer(to: ChainFixtures.address(other), amount: amount)
            case 3: payload = .delegate(validator: validator, amount: amount)
            case 4: payload = .undelegate(validator: validator, amount: amount / 2)
            case 5: payload = .stake(amount: amount)
            case 6: payload = .unstake(amount: amount)
            case 7:
                payload = .createValidator(
                    consensusKey: newConsensusKey(sender),
                    stake: 1_000 + amount,
                    commissionBasisPoints: UInt16.random(in: 0...10_000, using: &rng),
                    moniker: "v\(sender)"
                )
            case 8:
                let content: ProposalContent =
                    Bool.random(using: &rng)
                    ? .treasurySpend(title: "spend", recipient: ChainFixtures.address(other), amount: amount + 1)
                    : .parameterChange(title: "reward", changes: [ParameterChange(name: "block_reward", value: amount)])
                payload = .submitProposal(content: content, deposit: amount)
            case 9: payload = .deposit(proposalID: proposalID, amount: amount)
            default: payload = .vote(proposalID: proposalID, option: VoteOption.allCases.randomElement(using: &rng)!)
            }
            let nonce = nonces[sender, default: 0]
            nonces[sender] = nonce + 1
            transactions.append(
                ChainFixtures.signed(payload, from: sender, nonce: nonce, fee: Amount.random(in: 1...20, using: &rng))
            )
        }
        return transactions
    }

    static func randomParameters() -> ChainParameters {
        var parameters = ChainParameters()
        parameters.unbondingPeriod = 3
        parameters.votingPeriod = 3
        parameters.depositPeriod = 4
        parameters.proposalMinimumDeposit = 2_000
        parameters.blockReward = 97
        parameters.quorumBasisPoints = 2_000
        return parameters
    }

    @Test(
        "sum of balances, bonds, unbondings, deposits and treasury equals the total supply after random blocks",
        arguments: [1, 2, 3, 42, 2026] as [UInt64]
    )
    func supplyInvariant(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        var ledger = try TestLedger(
            genesis: ChainFixtures.genesis(parameters: Self.randomParameters(), treasury: 5_000)
        )
        var nonces: [Int: UInt64] = [:]
        var codes: Set<UInt16> = []
        for _ in 0..<40 {
            let outcome = try ledger.block(Self.randomBlock(ledger, nonces: &nonces, using: &rng))
            codes.formUnion(outcome.receipts.map(\.code))
            #expect(
                ledger.state.accountedSupply == ledger.state.globals.totalSupply,
                "seed \(seed), height \(ledger.height)"
            )
            #expect(ledger.state.delegationsAddUp, "seed \(seed), height \(ledger.height)")
        }
        // The sequence exercised both successes and payload failures.
        #expect(codes.contains(0))
        #expect(codes.contains { $0 >= 200 })
    }
}
