// LedgerTests: inclusion and non-inclusion proofs against a state root, and the forgeries they must reject.

import DeAICore
import DeAITesting
import Foundation
import Ledger
import Testing

struct StateProofTests {
    /// A state after a few blocks: accounts, two validators, a delegation, an unbonding and a proposal.
    static func state() throws -> LedgerState {
        var ledger = try TestLedger()
        try ledger.block([
            ChainFixtures.transfer(from: 1, to: ChainFixtures.address(12), amount: 5, nonce: 0),
            ChainFixtures.signed(
                .createValidator(
                    consensusKey: newConsensusKey(3),
                    stake: 2_000,
                    commissionBasisPoints: 0,
                    moniker: "v3"
                ),
                from: 3,
                nonce: 0
            ),
            ChainFixtures.signed(.delegate(validator: ChainFixtures.validatorAddress, amount: 700), from: 2, nonce: 0),
            ChainFixtures.signed(
                .undelegate(validator: ChainFixtures.validatorAddress, amount: 100),
                from: 2,
                nonce: 1
            ),
            ChainFixtures.signed(
                .submitProposal(content: .text(title: "t", description: "d"), deposit: 10),
                from: 4,
                nonce: 0
            ),
        ])
        return ledger.state
    }

    @Test("an inclusion proof verifies against the root and returns the entry's encoding")
    func inclusion() throws {
        let state = try Self.state()
        let commitment = StateCommitment(state: state)
        let keys: [StateKey] = [
            .account(ChainFixtures.address(1)), .account(ChainFixtures.address(12)),
            .validator(ChainFixtures.address(3)),
            .delegation(DelegationKey(delegator: ChainFixtures.address(2), validator: ChainFixtures.validatorAddress)),
            .unbonding(id: 1), .proposal(id: 1), .parameters, .globals,
        ]
        for key in keys {
            let proof = commitment.proof(for: key)
            #expect(proof.match != nil)
            let value = try proof.verify(against: commitment.root)
            #expect(value == state.encodedValue(for: key))
        }
        let account = try #require(
            try commitment.proof(for: .account(ChainFixtures.address(1))).verify(against: commitment.root)
        )
        #expect(try Account(canonicalEncoding: account) == state.account(ChainFixtures.address(1)))
    }

    @Test("a non-inclusion proof of a missing account verifies and returns nil")
    func nonInclusionInState() throws {
        let state = try Self.state()
        let commitment = StateCommitment(state: state)
        let missing = ChainFixtures.address(30)
        #expect(state.accounts[missing] == nil)
        let proof = commitment.proof(for: .account(missing))
        #expect(proof.match == nil)
        #expect(proof.left != nil && proof.right != nil)
        #expect(try proof.verify(against: commitment.root) == nil)
    }

    /// A commitment of accounts only, so that a missing address can fall before the first key or after the last.
    static func accountsOnly() -> (StateCommitment, [Address]) {
        let addresses = (1...6).map(ChainFixtures.address).sorted()
        var commitment = StateCommitment()
        commitment.apply(
            addresses.map {
                StateChange(key: StateKey.account($0).bytes, value: Account(balance: 10, nonce: 1).canonicalEncoding)
            }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
        )
        return (commitment, addresses)
    }

    enum Position: String, Sendable, CaseIterable {
        case belowFirst, between, aboveLast
    }

    static func missingAddress(_ position: Position, among addresses: [Address]) throws -> Address {
        switch position {
        case .belowFirst: return try Address(bytes: [UInt8](repeating: 0x00, count: 20))
        case .aboveLast: return try Address(bytes: [UInt8](repeating: 0xFF, count: 20))
        case .between:
            var bytes = addresses[2].bytes
            bytes[19] = bytes[19] == 0xFF ? 0xFE : bytes[19] + 1
            let address = try Address(bytes: bytes)
            #expect(addresses[1] < address && address < addresses[3] && !addresses.contains(address))
            return address
        }
    }

    @Test(
        "non-inclusion proofs below the first key, between two keys and above the last verify and return nil",
        arguments: Position.allCases
    )
    func nonInclusion(_ position: Position) throws {
        let (commitment, addresses) = Self.accountsOnly()
        let missing = try Self.missingAddress(position, among: addresses)
        let proof = commitment.proof(for: .account(missing))
        #expect(proof.match == nil)
        #expect((proof.left == nil) == (position == .belowFirst))
        #expect((proof.right == nil) == (position == .aboveLast))
        #expect(try proof.verify(against: commitment.root) == nil)
        // The same proof, through JSON as the API sends it, still verifies.
        let decoded = try JSONDecoder().decode(StateProof.self, from: try JSONEncoder().encode(proof))
        #expect(try decoded.verify(against: commitment.root) == nil)
    }

    @Test("the proof of an empty tree shows every key absent")
    func emptyTree() throws {
        let commitment = StateCommitment()
        let proof = commitment.proof(for: .account(ChainFixtures.address(1)))
        #expect(proof.leafCount == 0)
        #expect(try proof.verify(against: commitment.root) == nil)
        let (other, _) = Self.accountsOnly()
        #expect(throws: LedgerError.self) { try proof.verify(against: other.root) }
    }

    /// A forged proof, made from honest ones.
    enum Forgery: String, Sendable, CaseIterable {
        case tamperedValue, wrongRoot, otherKeysLeaf
        case forgedLastLeaf, forgedFirstLeaf
        case nonAdjacentNeighbours, missingLeftNeighbour, missingRightNeighbour, tamperedNeighbour
        case absenceOfAPresentKey, neighbourIsTheKey
    }

    @Test("a forged proof is rejected with invalidProof", arguments: Forgery.allCases)
    func forged(_ forgery: Forgery) throws {
        let (commitment, addresses) = Self.accountsOnly()
        var root = commitment.root
        let present = StateKey.account(addresses[2])
        let leaves = addresses.map { commitment.proof(for: .account($0)).match! }
        var proof: StateProof
        switch forgery {
        case .tamperedValue:
            proof = commitment.proof(for: present)
            proof.match!.value = Account(balance: 1_000_000, nonce: 1).canonicalEncoding
        case .wrongRoot:
            proof = commitment.proof(for: present)
            root = SHA256Digest(hashing: [1, 2, 3])
        case .otherKeysLeaf:
            proof = commitment.proof(for: present)
            proof.match = leaves[3]
        case .forgedLastLeaf:
            // "Above the last key", with leaf 4 of 6 passed off as the last of a 5-leaf tree.
            var left = leaves[4]
            left.proof.leafCount = 5
            proof = StateProof(
                key: StateKey.account(try Self.missingAddress(.aboveLast, among: addresses)).bytes,
                leafCount: 5,
                left: left
            )
        case .forgedFirstLeaf:
            // "Below the first key", with leaf 1 passed off as leaf 0.
            var right = leaves[1]
            right.proof.leafIndex = 0
            proof = StateProof(
                key: StateKey.account(try Self.missingAddress(.belowFirst, among: addresses)).bytes,
                leafCount: 6,
                right: right
            )
        case .nonAdjacentNeighbours:
            proof = commitment.proof(for: .account(try Self.missingAddress(.between, among: addresses)))
            proof.right = leaves[4]
        case .missingLeftNeighbour:
            proof = commitment.proof(for: .account(try Self.missingAddress(.between, among: addresses)))
            proof.left = nil
        case .missingRightNeighbour:
            proof = commitment.proof(for: .account(try Self.missingAddress(.between, among: addresses)))
            proof.right = nil
        case .tamperedNeighbour:
            proof = commitment.proof(for: .account(try Self.missingAddress(.between, among: addresses)))
            proof.left!.value = Account(balance: 11, nonce: 1).canonicalEncoding
        case .absenceOfAPresentKey:
            proof = StateProof(
                key: present.bytes,
                leafCount: UInt64(addresses.count),
                left: leaves[1],
                right: leaves[3]
            )
        case .neighbourIsTheKey:
            proof = StateProof(
                key: present.bytes,
                leafCount: UInt64(addresses.count),
                left: leaves[1],
                right: leaves[2]
            )
        }
        let error = #expect(throws: LedgerError.self) { try proof.verify(against: root) }
        #expect(error?.code == 301)
        guard case .invalidProof? = error else {
            Issue.record("expected invalidProof, got \(String(describing: error))")
            return
        }
    }
}
