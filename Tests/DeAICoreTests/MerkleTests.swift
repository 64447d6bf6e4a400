// DeAICoreTests: RFC 6962-style Merkle trees and inclusion proofs.

import DeAICore
import DeAITesting
import Foundation
import Testing

@Suite("Merkle trees")
struct MerkleTests {
    /// SHA-256(0x01 ‖ left ‖ right), written out by hand.
    static func node(_ left: SHA256Digest, _ right: SHA256Digest) -> SHA256Digest {
        SHA256Digest(hashing: [0x01] + left.bytes + right.bytes)
    }

    /// RFC 6962 section 2.1 MTH, transcribed literally (recursive, split at the largest power of two below n).
    static func referenceRoot(_ hashes: ArraySlice<SHA256Digest>) -> SHA256Digest {
        switch hashes.count {
        case 0: return SHA256Digest(hashing: [UInt8]())
        case 1: return hashes[hashes.startIndex]
        default:
            var split = 1
            while split * 2 < hashes.count { split *= 2 }
            let middle = hashes.startIndex + split
            return Self.node(Self.referenceRoot(hashes[..<middle]), Self.referenceRoot(hashes[middle...]))
        }
    }

    static func leaves(_ count: Int) -> [[UInt8]] {
        (0..<count).map { Array("leaf \($0)".utf8) }
    }

    @Test("hand-computed roots for 0, 1, 2 and 3 leaves")
    func smallTrees() throws {
        #expect(
            MerkleTree.root(leaves: []).hexString
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )
        let a = Array("a".utf8)
        let b = Array("b".utf8)
        let c = Array("c".utf8)
        let ha = SHA256Digest(hashing: [0x00] + a)
        let hb = SHA256Digest(hashing: [0x00] + b)
        let hc = SHA256Digest(hashing: [0x00] + c)
        #expect(MerkleTree.leafHash(a) == ha)
        #expect(MerkleTree.root(leaves: [a]) == ha)
        #expect(MerkleTree.root(leaves: [a, b]) == Self.node(ha, hb))
        #expect(MerkleTree.root(leaves: [a, b, c]) == Self.node(Self.node(ha, hb), hc))
        #expect(MerkleTree.root(leaves: [a, b, c]) != MerkleTree.root(leaves: [a, b, c, c]))
    }

    @Test("the fast root equals RFC 6962's recursive definition for n = 0…130")
    func matchesReference() {
        for count in 0...130 {
            let hashes = Self.leaves(count).map { MerkleTree.leafHash($0) }
            #expect(MerkleTree.root(leafHashes: hashes) == Self.referenceRoot(hashes[...]), "n = \(count)")
        }
    }

    @Test("every proof verifies for n = 1…33")
    func everyProofVerifies() throws {
        for count in 1...33 {
            let hashes = Self.leaves(count).map { MerkleTree.leafHash($0) }
            let root = MerkleTree.root(leafHashes: hashes)
            for index in 0..<count {
                let proof = try #require(MerkleTree.proof(leafHashes: hashes, index: index))
                #expect(proof.leafIndex == UInt64(index))
                #expect(proof.leafCount == UInt64(count))
                #expect(proof.root(forLeafHash: hashes[index]) == root, "n = \(count), index = \(index)")
                #expect(proof.verifies(leafHash: hashes[index], root: root))
            }
        }
    }

    @Test("kept levels give the same root and proofs as rehashing, for n = 0…70")
    func levelsMatchRehashing() {
        for count in 0...70 {
            let hashes = Self.leaves(count).map { MerkleTree.leafHash($0) }
            let tree = MerkleLevels(leafHashes: hashes)
            #expect(tree.root == MerkleTree.root(leafHashes: hashes), "n = \(count)")
            #expect(tree.leafCount == count)
            for index in -1...count {
                #expect(tree.proof(index: index) == MerkleTree.proof(leafHashes: hashes, index: index),
                        "n = \(count), index = \(index)")
            }
        }
    }

    @Test("tampered leaves, wrong indices and malformed paths fail")
    func tampering() throws {
        let count = 13
        let hashes = Self.leaves(count).map { MerkleTree.leafHash($0) }
        let root = MerkleTree.root(leafHashes: hashes)
        for index in 0..<count {
            let proof = try #require(MerkleTree.proof(leafHashes: hashes, index: index))
            #expect(!proof.verifies(leafHash: MerkleTree.leafHash(Array("forged".utf8)), root: root))
            #expect(!proof.verifies(leafHash: hashes[(index + 1) % count], root: root))
            var moved = proof
            moved.leafIndex = UInt64((index + 1) % count)
            #expect(!moved.verifies(leafHash: hashes[index], root: root))
            var shorter = proof
            shorter.path.removeLast()
            #expect(shorter.root(forLeafHash: hashes[index]) == nil)
            var longer = proof
            longer.path.append(root)
            #expect(longer.root(forLeafHash: hashes[index]) == nil)
            var beyond = proof
            beyond.leafIndex = UInt64(count)
            #expect(beyond.root(forLeafHash: hashes[index]) == nil)
        }
        #expect(MerkleTree.proof(leafHashes: hashes, index: count) == nil)
        #expect(MerkleTree.proof(leafHashes: hashes, index: -1) == nil)
        #expect(MerkleTree.proof(leafHashes: [], index: 0) == nil)
        let single = MerkleProof(leafIndex: 0, leafCount: 1, path: [])
        #expect(single.verifies(leafHash: hashes[0], root: hashes[0]))
        #expect(MerkleProof(leafIndex: 0, leafCount: 0, path: []).root(forLeafHash: hashes[0]) == nil)
    }

    @Test("proofs round-trip through the canonical encoding and JSON")
    func coding() throws {
        let hashes = Self.leaves(21).map { MerkleTree.leafHash($0) }
        let proof = try #require(MerkleTree.proof(leafHashes: hashes, index: 17))
        #expect(try MerkleProof(canonicalEncoding: proof.canonicalEncoding) == proof)
        #expect(try JSONDecoder().decode(MerkleProof.self, from: JSONEncoder().encode(proof)) == proof)
        var encoder = CanonicalEncoder()
        encoder.encode(UInt64(0))
        encoder.encode(UInt64(1))
        encoder.encode(UInt64(65))
        #expect(throws: CodecError.fieldTooLarge(offset: 2, length: 65, limit: 64)) {
            try MerkleProof(canonicalEncoding: encoder.bytes)
        }
    }

    @Test("a block-sized tree (10^5 leaves) matches the reference")
    func largeTree() {
        var generator = SeededGenerator(seed: 6962)
        let hashes = (0..<100_000).map { _ in
            MerkleTree.leafHash(withUnsafeBytes(of: generator.next()) { Array($0) })
        }
        #expect(MerkleTree.root(leafHashes: hashes) == Self.referenceRoot(hashes[...]))
    }
}
