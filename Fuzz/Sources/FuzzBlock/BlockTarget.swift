// BlockTarget: blocks, headers, votes, commits and evidence, as a syncing or voting node reads them from peers.

import DeAICore
import FuzzSupport
import Ledger

/// Feeds Ledger's block and vote decoders. The first byte picks the type; what decodes must re-encode to the same
/// bytes (a validator set: to an equal set). Mode 7 reads a validator set and then a commit from one input and verifies the commit against it, and
/// modes 4 and 5 check decoded signatures, so that those checks meet hostile values too.
enum BlockTarget: FuzzTarget {
    static func test(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let mode = input.takeByte()
        let body = input.rest
        switch mode % 8 {
        case 0:
            if let block = FuzzCheck.canonicalRoundTrip(Block.self, body) { _ = block.hash }
        case 1: FuzzCheck.canonicalRoundTrip(BlockHeader.self, body)
        case 2: FuzzCheck.canonicalRoundTrip(Vote.self, body)
        case 3: FuzzCheck.canonicalRoundTrip(CommitSignature.self, body)
        case 4:
            if let vote = FuzzCheck.canonicalRoundTrip(SignedVote.self, body) {
                _ = vote.isSigned(by: FuzzSeeds.signingKey(1).verifyingKey)
            }
        case 5:
            if let evidence = FuzzCheck.canonicalRoundTrip(DuplicateVoteEvidence.self, body) {
                _ = try? evidence.verify(key: FuzzSeeds.signingKey(1).verifyingKey)
            }
        case 6: Self.testValidatorSet(body)
        default: Self.testCommitVerification(body)
        }
    }

    /// Decodes a validator set, which by design accepts its members in any order and sorts them (so its encoding is
    /// not unique, and the byte-exact round trip does not apply): the sorted re-encoding must decode to an equal set.
    private static func testValidatorSet(_ bytes: [UInt8]) {
        guard let set = try? ValidatorSet(canonicalEncoding: bytes) else { return }
        let encoding = set.canonicalEncoding
        FuzzCheck.require(encoding.count == bytes.count, "a validator set re-encodes to another length")
        FuzzCheck.require((try? ValidatorSet(canonicalEncoding: encoding)) == set, "a validator set changes in a round trip")
    }

    /// Decodes a validator set, then a commit, and verifies the commit for its own height and block.
    private static func testCommitVerification(_ bytes: [UInt8]) {
        var decoder = CanonicalDecoder(bytes: bytes)
        guard let validators = try? decoder.decode(ValidatorSet.self),
            let commit = try? decoder.decode(Commit.self)
        else { return }
        _ = try? commit.verify(
            chainID: LedgerSamples.chainID, height: commit.height, blockHash: commit.blockHash, validatorSet: validators)
    }

    static var seeds: [(name: String, bytes: [UInt8])] {
        let block = LedgerSamples.block
        let commit = LedgerSamples.commit(FuzzSeeds.digest("block 2"))
        let first = LedgerSamples.precommit(FuzzSeeds.digest("a"))
        let second = LedgerSamples.precommit(nil)
        return [
            ("block", [0] + block.canonicalEncoding),
            ("block-empty", [0] + Block(header: block.header, transactions: []).canonicalEncoding),
            ("header", [1] + block.header.canonicalEncoding),
            ("vote", [2] + first.vote.canonicalEncoding),
            ("commit-signature", [3] + commit.signatures[0].canonicalEncoding),
            ("signed-vote", [4] + first.canonicalEncoding),
            ("evidence", [5] + DuplicateVoteEvidence(first, second).canonicalEncoding),
            ("validator-set", [6] + LedgerSamples.validatorSet.canonicalEncoding),
            ("commit-verify", [7] + LedgerSamples.validatorSet.canonicalEncoding + commit.canonicalEncoding),
        ]
    }
}
