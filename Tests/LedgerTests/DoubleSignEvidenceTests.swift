// Evidence of a double vote: it slashes the validator's stake to the treasury and removes it from the set for good;
// evidence that proves nothing, or proves it twice, punishes nobody.

import DeAICore
import DeAITesting
import Ledger
import Testing

@Suite("Double-sign evidence")
struct DoubleSignEvidenceTests {
    /// Two precommits of the genesis validator at `height`, round 0, for two different blocks, signed by `key`.
    static func evidence(
        height: Height, key: SigningKey = ChainFixtures.consensusKey, chainID: String = ChainFixtures.chainID,
        conflicting: Bool = true
    ) throws -> DuplicateVoteEvidence {
        func vote(_ block: String) throws -> SignedVote {
            try SignedVote(
                signing: Vote(
                    kind: .precommit, chainID: chainID, height: height, round: 0,
                    blockHash: SHA256Digest(hashing: Array(block.utf8)), validator: ChainFixtures.validatorAddress),
                with: key)
        }
        return DuplicateVoteEvidence(try vote("a"), try vote(conflicting ? "b" : "a"))
    }

    /// A free report of `evidence` from a key that holds no tokens.
    static func report(_ evidence: DuplicateVoteEvidence, nonce: UInt64 = 0) throws -> Transaction {
        let reporter = TestKeys.signingKey(4_242)
        return try Transaction(
            signing: TransactionBody(
                chainID: ChainFixtures.chainID, sender: reporter.verifyingKey, nonce: nonce, fee: 0,
                payload: .reportDoubleSign(evidence)),
            with: reporter)
    }

    @Test("a double vote slashes 5% of the self-stake, the delegations and the stake that left after it, to the treasury, and the validator leaves the set for good")
    func slashesAndTombstones() throws {
        var ledger = try TestLedger()
        let validator = ChainFixtures.validatorAddress
        try ledger.block([
            ChainFixtures.signed(.delegate(validator: validator, amount: 1_000), from: 2, nonce: 0),
            ChainFixtures.signed(.delegate(validator: validator, amount: 400), from: 3, nonce: 0),
            ChainFixtures.signed(.undelegate(validator: validator, amount: 100), from: 3, nonce: 1),
        ])
        try ledger.block()  // height 2: the double vote
        try ledger.block([ChainFixtures.signed(.undelegate(validator: validator, amount: 200), from: 2, nonce: 1)])
        let treasury = ledger.state.globals.treasury
        let supply = ledger.state.accountedSupply

        let receipt = try ledger.apply(try Self.report(try Self.evidence(height: 2)))
        #expect(receipt.code == 0, "\(receipt.message)")
        #expect(receipt.fee == 0)
        let punished = try #require(ledger.state.validators[validator])
        #expect(punished.tombstoned)
        #expect(punished.selfStake == ChainFixtures.validatorStake - ChainFixtures.validatorStake / 20)
        #expect(ledger.state.delegations[DelegationKey(delegator: ChainFixtures.address(2), validator: validator)] == 760)
        #expect(ledger.state.delegations[DelegationKey(delegator: ChainFixtures.address(3), validator: validator)] == 285)
        let unbonding = ledger.state.unbondings.values.sorted { $0.completionHeight < $1.completionHeight }.map(\.amount)
        #expect(unbonding == [100, 190], "only the stake that left after the double vote is slashed")
        #expect(ledger.state.globals.treasury == treasury + ChainFixtures.validatorStake / 20 + 40 + 15 + 10)
        #expect(ledger.state.accountedSupply == supply)
        #expect(ledger.state.delegationsAddUp)
        #expect(ValidatorSet(state: ledger.state).member(validator) == nil)

        let again = try ledger.apply(try Self.report(try Self.evidence(height: 2), nonce: 1))
        #expect(again.code == LedgerError.validatorTombstoned(validator).code)
        let delegation = try ledger.apply(ChainFixtures.signed(.delegate(validator: validator, amount: 10), from: 4, nonce: 0))
        #expect(delegation.code == LedgerError.validatorTombstoned(validator).code)
    }

    @Test("votes that do not conflict, signed by another key, of another chain or too old prove nothing", arguments: [
        "not conflicting", "another key", "another chain", "too old",
    ])
    func invalidEvidence(_ flaw: String) throws {
        var ledger = try TestLedger()
        try ledger.emptyBlocks(2)
        let evidence: DuplicateVoteEvidence =
            switch flaw {
            case "not conflicting": try Self.evidence(height: 2, conflicting: false)
            case "another key": try Self.evidence(height: 2, key: TestKeys.signingKey(31_337))
            case "another chain": try Self.evidence(height: 2, chainID: "deai-other")
            default: try Self.evidence(height: 1)
            }
        if flaw == "too old" { try ledger.emptyBlocks(Int(ledger.state.parameters.unbondingPeriod)) }
        let before = ledger.state.validators[ChainFixtures.validatorAddress]
        #expect(throws: LedgerError.self) {
            try StateTransition.checkEvidence(evidence, in: ledger.state, height: ledger.height + 1)
        }
        let receipt = try ledger.apply(try Self.report(evidence))
        #expect(receipt.code != 0)
        #expect(ledger.state.validators[ChainFixtures.validatorAddress] == before)
    }

    @Test("one double vote has one encoding: the pair in the other order does not decode")
    func oneEncoding() throws {
        let evidence = try Self.evidence(height: 2)
        #expect(try DuplicateVoteEvidence(canonicalEncoding: evidence.canonicalEncoding) == evidence)
        let swapped = evidence.second.canonicalEncoding + evidence.first.canonicalEncoding
        #expect(throws: CodecError.self) { try DuplicateVoteEvidence(canonicalEncoding: swapped) }
    }
}
