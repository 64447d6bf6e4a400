// LedgerTests: the genesis file and the state it makes.

import DeAICore
import DeAITesting
import Foundation
import Ledger
import Testing

struct GenesisTests {
    @Test("a genesis round-trips through JSON")
    func jsonRoundTrip() throws {
        var parameters = ChainParameters()
        parameters.votingPeriod = 3
        let genesis = ChainFixtures.genesis(parameters: parameters, treasury: 77)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let decoded = try JSONDecoder().decode(Genesis.self, from: try encoder.encode(genesis))
        #expect(decoded == genesis)
    }

    @Test("the documented genesis file decodes: parameters and commission left out keep their defaults")
    func documentedExample() throws {
        let json = """
            { "chain_id": "deai-local", "genesis_time": 1764000000000,
              "parameters": { "block_reward": 100, "voting_period": 10 },
              "accounts": [ { "address": "\(ChainFixtures.address(1))", "balance": 1000000 } ],
              "validators": [ { "operator_address": "\(ChainFixtures.validatorAddress)",
                                "consensus_key": "\(ChainFixtures.consensusKey.verifyingKey)", "stake": 100000, "moniker": "v0" } ],
              "treasury": 1000000 }
            """
        let genesis = try JSONDecoder().decode(Genesis.self, from: Data(json.utf8))
        #expect(genesis.chainID == "deai-local")
        #expect(genesis.parameters.votingPeriod == 10)
        #expect(genesis.parameters.unbondingPeriod == ChainParameters().unbondingPeriod)
        #expect(genesis.validators.first?.commissionBasisPoints == 500)
        let state = try genesis.makeState()
        #expect(state.globals.totalSupply == 2_100_000)
        #expect(state.globals.treasury == 1_000_000)
    }

    @Test(
        "unknown or out-of-range parameters in a genesis file are refused",
        arguments: [
            #"{ "no_such_parameter": 1 }"#, #"{ "quorum_basis_points": 10001 }"#, #"{ "voting_period": 0 }"#,
        ]
    )
    func badParameters(_ parameters: String) throws {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ChainParameters.self, from: Data(parameters.utf8))
        }
    }

    @Test("the genesis state holds the accounts, validators, treasury and the whole supply")
    func state() throws {
        let genesis = ChainFixtures.genesis(treasury: 500)
        let state = try genesis.makeState()
        #expect(state.height == 0)
        #expect(state.globals.blockTime == ChainFixtures.genesisTime)
        #expect(state.accounts.count == ChainFixtures.accountCount)
        #expect(state.validators[ChainFixtures.validatorAddress]?.selfStake == ChainFixtures.validatorStake)
        #expect(
            state.globals.totalSupply == Amount(ChainFixtures.accountCount) * ChainFixtures.balance
                + ChainFixtures.validatorStake + 500
        )
        #expect(state.accountedSupply == state.globals.totalSupply)
    }

    /// A broken genesis and the code `makeState` refuses it with.
    struct BrokenCase: Sendable, CustomTestStringConvertible {
        var name: String
        var code: UInt16
        var change: @Sendable (inout Genesis) -> Void
        var testDescription: String { self.name }
    }

    static let brokenCases: [BrokenCase] = [
        BrokenCase(name: "empty chain ID", code: 101) { $0.chainID = "" },
        BrokenCase(name: "chain ID over 64 bytes", code: 101) { $0.chainID = String(repeating: "c", count: 65) },
        BrokenCase(name: "no validator", code: 302) { $0.validators = [] },
        BrokenCase(name: "an account funded twice", code: 302) { $0.accounts.append($0.accounts[0]) },
        BrokenCase(name: "a validator listed twice", code: 203) { $0.validators.append($0.validators[0]) },
        BrokenCase(name: "commission above 10000", code: 208) { $0.validators[0].commissionBasisPoints = 10_001 },
        BrokenCase(name: "a supply that overflows", code: 216) { $0.treasury = .max },
    ]

    @Test("an inconsistent genesis is refused", arguments: brokenCases)
    func broken(_ testCase: BrokenCase) throws {
        var genesis = ChainFixtures.genesis()
        testCase.change(&genesis)
        let error = #expect(throws: LedgerError.self) { try genesis.makeState() }
        #expect(error?.code == testCase.code)
    }

    @Test("the genesis hash binds the chain ID, the time and the initial state")
    func hash() throws {
        let root = StateCommitment(state: try ChainFixtures.genesis().makeState()).root
        let hash = Genesis.hash(chainID: ChainFixtures.chainID, genesisTime: ChainFixtures.genesisTime, stateRoot: root)
        #expect(hash != Genesis.hash(chainID: "deai-other", genesisTime: ChainFixtures.genesisTime, stateRoot: root))
        #expect(
            hash
                != Genesis.hash(
                    chainID: ChainFixtures.chainID,
                    genesisTime: ChainFixtures.genesisTime + 1,
                    stateRoot: root
                )
        )
        let otherRoot = StateCommitment(state: try ChainFixtures.genesis(treasury: 1).makeState()).root
        #expect(
            hash
                != Genesis.hash(
                    chainID: ChainFixtures.chainID,
                    genesisTime: ChainFixtures.genesisTime,
                    stateRoot: otherRoot
                )
        )
    }
}
