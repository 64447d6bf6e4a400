// LedgerTests: the active validator set, and commits that need more than two thirds of its power.

import DeAICore
import DeAITesting
import Ledger
import Testing

struct ValidatorSetAndCommitTests {
    @Test("the active set holds the validators with power, the largest first up to max_validators, ties by address")
    func activeSet() throws {
        var parameters = ChainParameters()
        parameters.maxValidators = 2
        var ledger = try TestLedger(genesis: ChainFixtures.genesis(parameters: parameters))
        let stakes: [Int: Amount] = [1: 5_000, 2: 7_000, 3: 7_000, 4: 1_000]
        try ledger.block(
            stakes.sorted { $0.key < $1.key }.map { index, stake in
                ChainFixtures.signed(
                    .createValidator(
                        consensusKey: newConsensusKey(index),
                        stake: stake,
                        commissionBasisPoints: 0,
                        moniker: "v\(index)"
                    ),
                    from: index,
                    nonce: 0
                )
            }
        )
        // Validator 4 unstakes everything: no power, not in the set.
        try ledger.block([ChainFixtures.signed(.unstake(amount: 1_000), from: 4, nonce: 1)])
        let set = ValidatorSet(state: ledger.state)
        let tied = [ChainFixtures.address(2), ChainFixtures.address(3)].sorted()
        // The two chosen: the genesis validator, and of the two 7,000s the one with the lower address.
        // Members are kept in address order.
        #expect(Set(set.members.map(\.address)) == [ChainFixtures.validatorAddress, tied[0]])
        #expect(set.members.map(\.address) == set.members.map(\.address).sorted())
        #expect(set.totalPower == ChainFixtures.validatorStake + 7_000)
        #expect(set.member(ChainFixtures.address(4)) == nil)
        #expect(set.hash == ValidatorSet(members: set.members.reversed()).hash)
    }

    /// A set of validators with powers `powers`, keys from TestKeys 3000 up.
    static func set(_ powers: [Amount]) -> (ValidatorSet, [Address: SigningKey]) {
        var keys: [Address: SigningKey] = [:]
        let members = powers.enumerated().map { index, power in
            let key = TestKeys.signingKey(3_000 + index)
            keys[ChainFixtures.address(40 + index)] = key
            return ValidatorSet.Member(
                address: ChainFixtures.address(40 + index),
                consensusKey: key.verifyingKey,
                power: power
            )
        }
        return (ValidatorSet(members: members), keys)
    }

    static func commit(signedBy signers: [Address], keys: [Address: SigningKey]) throws -> Commit {
        var commit = Commit(height: 5, round: 0, blockHash: SHA256Digest(hashing: [5]), signatures: [])
        commit.signatures = try signers.sorted().map { address in
            try CommitSignature(address: address, key: keys[address]!, commit: commit)
        }
        return commit
    }

    /// Powers, which of them sign, and whether the commit holds.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var powers: [Amount]
        var signers: [Int]
        var valid: Bool
        var testDescription: String { self.name }
    }

    static let cases: [Case] = [
        Case(name: "the only validator", powers: [10], signers: [0], valid: true),
        Case(name: "nobody", powers: [10], signers: [], valid: false),
        Case(name: "exactly two thirds is not enough", powers: [2, 1], signers: [0], valid: false),
        Case(name: "all of two", powers: [2, 1], signers: [0, 1], valid: true),
        Case(name: "three of four equal", powers: [1, 1, 1, 1], signers: [0, 1, 2], valid: true),
        Case(name: "two of three equal", powers: [1, 1, 1], signers: [0, 1], valid: false),
        Case(name: "one large validator", powers: [67, 33], signers: [0], valid: true),
    ]

    @Test("a commit needs more than two thirds of the power", arguments: cases)
    func threshold(_ testCase: Case) throws {
        let (set, keys) = Self.set(testCase.powers)
        let commit = try Self.commit(signedBy: testCase.signers.map { set.members[$0].address }, keys: keys)
        if testCase.valid {
            try commit.verify(chainID: ChainFixtures.chainID, height: 5, blockHash: commit.blockHash, validatorSet: set)
        } else {
            let error = #expect(throws: LedgerError.self) {
                try commit.verify(
                    chainID: ChainFixtures.chainID,
                    height: 5,
                    blockHash: commit.blockHash,
                    validatorSet: set
                )
            }
            #expect(error?.code == 302)
        }
    }

    @Test("duplicate, unsorted or outside signatures are refused")
    func malformedCommits() throws {
        let (set, keys) = Self.set([1, 1, 1, 1])
        let addresses = set.members.map(\.address)
        var commit = try Self.commit(signedBy: Array(addresses.prefix(2)), keys: keys)
        // One validator's signature twice does not count twice.
        commit.signatures.append(commit.signatures[1])
        #expect(throws: LedgerError.self) {
            try commit.verify(chainID: ChainFixtures.chainID, height: 5, blockHash: commit.blockHash, validatorSet: set)
        }
        var unsorted = try Self.commit(signedBy: Array(addresses.prefix(3)), keys: keys)
        unsorted.signatures.reverse()
        #expect(throws: LedgerError.self) {
            try unsorted.verify(
                chainID: ChainFixtures.chainID,
                height: 5,
                blockHash: unsorted.blockHash,
                validatorSet: set
            )
        }
        let outsiderKey = TestKeys.signingKey(3_999)
        var outsider = try Self.commit(signedBy: Array(addresses.prefix(3)), keys: keys)
        outsider.signatures.append(
            try CommitSignature(address: ChainFixtures.address(31), key: outsiderKey, commit: outsider)
        )
        outsider.signatures.sort { $0.validator < $1.validator }
        #expect(throws: LedgerError.self) {
            try outsider.verify(
                chainID: ChainFixtures.chainID,
                height: 5,
                blockHash: outsider.blockHash,
                validatorSet: set
            )
        }
        let valid = try Self.commit(signedBy: Array(addresses.prefix(3)), keys: keys)
        #expect(throws: LedgerError.self) {
            try valid.verify(chainID: ChainFixtures.chainID, height: 6, blockHash: valid.blockHash, validatorSet: set)
        }
    }
}

extension CommitSignature {
    /// `key`'s precommit signature for `commit`, as validator `address`.
    init(address: Address, key: SigningKey, commit: Commit) throws {
        let vote = commit.vote(chainID: ChainFixtures.chainID, validator: address)
        self.init(validator: address, signature: try key.signature(for: vote.signingBytes))
    }
}
