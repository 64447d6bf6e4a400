// LedgerTests: the state's entries — key layout, and a state rebuilt from its stored entries.

import DeAICore
import DeAITesting
import Ledger
import Testing

struct LedgerStateTests {
    static let keys: [StateKey] = [
        .account(ChainFixtures.address(1)), .validator(ChainFixtures.address(2)),
        .delegation(DelegationKey(delegator: ChainFixtures.address(3), validator: ChainFixtures.address(4))),
        .unbonding(id: 0x0102_0304_0506_0708), .proposal(id: 1),
        .vote(proposalID: .max, voter: ChainFixtures.address(5)),
        .parameters, .globals,
    ]

    @Test("every state key parses back from its bytes", arguments: keys)
    func keyRoundTrip(_ key: StateKey) throws {
        #expect(try StateKey(bytes: key.bytes) == key)
    }

    @Test(
        "key bytes of the wrong length or kind are refused",
        arguments: [[], [0x00], [0x09], [0x01, 0x02], [0x07, 0x00], [0x08] + [UInt8](repeating: 0, count: 8)]
            as [[UInt8]]
    )
    func badKey(_ bytes: [UInt8]) throws {
        #expect(throws: CodecError.self) { try StateKey(bytes: bytes) }
    }

    @Test(
        "integer keys sort in numeric order",
        arguments: [(1, 2), (255, 256), (65_535, 65_536), (1, .max)] as [(UInt64, UInt64)]
    )
    func integerOrder(_ pair: (UInt64, UInt64)) {
        #expect(StateKey.proposal(id: pair.0).bytes.lexicographicallyPrecedes(StateKey.proposal(id: pair.1).bytes))
        #expect(StateKey.unbonding(id: pair.0).bytes.lexicographicallyPrecedes(StateKey.unbonding(id: pair.1).bytes))
    }

    @Test(
        "a state rebuilt from its entries has the same entries and root, votes and proposals included",
        arguments: [5, 11] as [UInt64]
    )
    func rebuild(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        var ledger = try TestLedger(
            genesis: ChainFixtures.genesis(parameters: RewardAndSupplyTests.randomParameters(), treasury: 5_000)
        )
        var nonces: [Int: UInt64] = [:]
        for _ in 0..<30 { try ledger.block(RewardAndSupplyTests.randomBlock(ledger, nonces: &nonces, using: &rng)) }
        #expect(!ledger.state.proposals.isEmpty)
        let entries = ledger.state.allEntries
        let rebuilt = try LedgerState(
            chainID: ledger.state.chainID,
            entries: entries.map { (key: $0.key, value: $0.value!) }
        )
        #expect(rebuilt.allEntries == entries)
        #expect(StateCommitment(state: rebuilt).root == StateCommitment(state: ledger.state).root)
        #expect(rebuilt.height == ledger.height)
        #expect(rebuilt.parameters == ledger.state.parameters)
    }

    @Test("a stored entry that does not decode is refused")
    func corruptEntry() throws {
        let entries = try ChainFixtures.genesis().makeState().allEntries
        var broken = entries.map { (key: $0.key, value: $0.value!) }
        broken[0].value = [0xFF]
        #expect(throws: CodecError.self) { try LedgerState(chainID: ChainFixtures.chainID, entries: broken) }
        let vote = (
            key: StateKey.vote(proposalID: 1, voter: ChainFixtures.address(1)).bytes, value: [UInt8](arrayLiteral: 9)
        )
        #expect(throws: CodecError.self) { try LedgerState(chainID: ChainFixtures.chainID, entries: [vote]) }
    }
}
