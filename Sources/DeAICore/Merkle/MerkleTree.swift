// DeAICore: RFC 6962-style Merkle trees over SHA-256.

internal import Crypto
public import Foundation

/// Merkle trees as in RFC 6962 (Certificate Transparency), with domain-separated hashing:
///
/// - a leaf hashes as SHA-256(0x00 ‖ leaf),
/// - an inner node as SHA-256(0x01 ‖ left ‖ right),
/// - a tree of n > 1 leaves splits at k, the largest power of two below n: the first k leaves on the left,
/// - the empty tree's root is SHA-256 of the empty string.
///
/// The distinct prefixes stop a leaf from being passed off as an inner node (second-preimage attacks), and
/// no leaf is ever duplicated, so two different leaf lists never share a root.
public enum MerkleTree {
    /// The hash of one leaf: SHA-256(0x00 ‖ leaf).
    ///
    /// - Complexity: O(*m*), where *m* is the length of `leaf`.
    public static func leafHash(_ leaf: some DataProtocol) -> SHA256Digest {
        var hasher = SHA256Hasher()
        hasher.update(byte: 0x00)
        hasher.update(leaf)
        return hasher.finalize()
    }

    /// The root of the tree whose leaves are `leaves`.
    ///
    /// - Complexity: O(*n* + *m*), where *n* is the number of leaves and *m* their total length.
    public static func root(leaves: [[UInt8]]) -> SHA256Digest {
        self.root(leafHashes: leaves.map { self.leafHash($0) })
    }

    /// The root of the tree whose leaf hashes are `leafHashes`.
    ///
    /// Computed bottom-up in one working array: each level pairs neighbours and carries an odd last node up
    /// unchanged, which gives exactly RFC 6962's split at the largest power of two. Inner nodes are hashed
    /// from one reused 65-byte stack buffer, so the only allocation is the working array.
    ///
    /// - Complexity: O(*n*) hashes of 65 bytes, where *n* is `leafHashes.count`.
    public static func root(leafHashes: [SHA256Digest]) -> SHA256Digest {
        switch leafHashes.count {
        case 0: return SHA256Digest(hashing: [UInt8]())
        case 1: return leafHashes[0]
        default: break
        }
        var level = leafHashes
        var count = level.count
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buffer in
            buffer.storeBytes(of: 0x01, toByteOffset: 0, as: UInt8.self)
            while count > 1 {
                let pairs = count / 2
                for index in 0..<pairs {
                    level[index] = self.node(level[2 * index], level[2 * index + 1], buffer: buffer)
                }
                if count % 2 == 1 {
                    level[pairs] = level[count - 1]
                }
                count = (count + 1) / 2
            }
        }
        return level[0]
    }

    /// The inclusion proof (audit path) for the leaf at `index`, or `nil` when `index` is out of range.
    ///
    /// - Complexity: O(*n*) hashes, where *n* is `leafHashes.count`.
    public static func proof(leafHashes: [SHA256Digest], index: Int) -> MerkleProof? {
        guard index >= 0, index < leafHashes.count else {
            return nil
        }
        var path: [SHA256Digest] = []
        self.appendPath(index: index, leafHashes: leafHashes[...], to: &path)
        return MerkleProof(leafIndex: UInt64(index), leafCount: UInt64(leafHashes.count), path: path)
    }
}

// MARK: - Internals

extension MerkleTree {
    /// SHA-256(0x01 ‖ left ‖ right), using `buffer` (65 bytes, first byte already 0x01) as scratch.
    @inline(__always)
    static func node(
        _ left: SHA256Digest,
        _ right: SHA256Digest,
        buffer: UnsafeMutableRawBufferPointer
    )
        -> SHA256Digest
    {
        left.store(into: buffer, at: 1)
        right.store(into: buffer, at: 33)
        return SHA256Digest(hashingBuffer: UnsafeRawBufferPointer(buffer))
    }

    /// SHA-256(0x01 ‖ left ‖ right).
    static func node(_ left: SHA256Digest, _ right: SHA256Digest) -> SHA256Digest {
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buffer in
            buffer.storeBytes(of: 0x01, toByteOffset: 0, as: UInt8.self)
            return self.node(left, right, buffer: buffer)
        }
    }

    /// The largest power of two strictly below `count` (which is at least 2).
    static func splitPoint(_ count: Int) -> Int {
        1 << (Int.bitWidth - 1 - (count - 1).leadingZeroBitCount)
    }

    /// RFC 6962 PATH(m, D[n]): siblings from the leaf up to the root.
    private static func appendPath(
        index: Int,
        leafHashes: ArraySlice<SHA256Digest>,
        to path: inout [SHA256Digest]
    ) {
        let count = leafHashes.count
        guard count > 1 else {
            return
        }
        let split = self.splitPoint(count)
        let start = leafHashes.startIndex
        let left = leafHashes[start..<(start + split)]
        let right = leafHashes[(start + split)...]
        if index < split {
            self.appendPath(index: index, leafHashes: left, to: &path)
            path.append(self.root(leafHashes: Array(right)))
        } else {
            self.appendPath(index: index - split, leafHashes: right, to: &path)
            path.append(self.root(leafHashes: Array(left)))
        }
    }
}

/// An incremental SHA-256 hasher producing `SHA256Digest`s.
private struct SHA256Hasher {
    private var hasher = SHA256()

    mutating func update(byte: UInt8) {
        withUnsafeBytes(of: byte) { self.hasher.update(bufferPointer: $0) }
    }

    mutating func update(_ data: some DataProtocol) {
        self.hasher.update(data: data)
    }

    func finalize() -> SHA256Digest {
        SHA256Digest(self.hasher.finalize())
    }
}
