// CanonicalTarget: DeAICore's canonical decoder, its primitive reads and the core types built on them.

import DeAICore
import FuzzSupport

/// Feeds DeAICore's `CanonicalDecoder`. The first byte picks a mode: one of the core `CanonicalCodable` types
/// (round-tripped byte for byte, since the format is canonical), a bech32 address string, or a "program" whose every
/// byte is one primitive read of the rest, checking that the decoder's offset only moves forward within the input
/// (also when a read throws; `CanonicalDecoder` does not promise to restore it then).
enum CanonicalTarget: FuzzTarget {
    static func test(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let mode = input.takeByte()
        let body = input.rest
        switch mode % 12 {
        case 0: FuzzCheck.canonicalRoundTrip(UInt64.self, body)
        case 1: FuzzCheck.canonicalRoundTrip(UInt32.self, body)
        case 2: FuzzCheck.canonicalRoundTrip(UInt16.self, body)
        case 3: FuzzCheck.canonicalRoundTrip(Int64.self, body)
        case 4: FuzzCheck.canonicalRoundTrip(Bool.self, body)
        case 5: FuzzCheck.canonicalRoundTrip(String.self, body, limits: CodecLimits(maxFieldBytes: 64))
        case 6: FuzzCheck.canonicalRoundTrip(Address.self, body)
        case 7: FuzzCheck.canonicalRoundTrip(SHA256Digest.self, body)
        case 8: FuzzCheck.canonicalRoundTrip(VerifyingKey.self, body)
        case 9: FuzzCheck.canonicalRoundTrip(Signature.self, body)
        case 10:
            if let proof = FuzzCheck.canonicalRoundTrip(MerkleProof.self, body, limits: CodecLimits(maxArrayCount: 64)) {
                _ = proof.root(forLeafHash: .zero)
            }
        default: Self.testProgram(&input)
        }
        Self.testBech32(body)
    }

    /// Runs primitive reads chosen by the first bytes of `input` on the bytes after them.
    private static func testProgram(_ input: inout FuzzInput) {
        let program = input.take(Int(input.takeByte() % 16))
        var decoder = CanonicalDecoder(bytes: input.rest, limits: CodecLimits(maxFieldBytes: 256, maxArrayCount: 16))
        for operation in program {
            let before = decoder.offset
            do {
                switch operation % 10 {
                case 0: _ = try decoder.decodeUInt64()
                case 1: _ = try decoder.decodeUInt32()
                case 2: _ = try decoder.decodeUInt16()
                case 3: _ = try decoder.decodeUInt8()
                case 4: _ = try decoder.decodeBool()
                case 5: _ = try decoder.decodeString()
                case 6: _ = try decoder.decodeBytes(maxBytes: Int(operation / 10))
                case 7: _ = try decoder.decodeFixedBytes(count: Int(operation / 10))
                case 8: _ = try decoder.decodeArray(of: UInt64.self)
                default: _ = try decoder.decodeOptional(SHA256Digest.self)
                }
            } catch {
                // A failed read may leave the offset anywhere up to the end: the caller abandons the decoder.
                FuzzCheck.require(decoder.offset >= before && decoder.remainingCount >= 0, "a failed read left the input")
                return
            }
            FuzzCheck.require(decoder.offset >= before && decoder.remainingCount >= 0, "the offset left the input")
        }
    }

    /// Parses the bytes, when they are UTF-8, as a bech32 address, which must print back as the same string.
    private static func testBech32(_ bytes: [UInt8]) {
        guard let string = String(validating: bytes, as: UTF8.self),
            let address = try? Address(bech32: string)
        else { return }
        FuzzCheck.require(address.bech32 == string.lowercased(), "a bech32 address prints differently")
    }

    static var seeds: [(name: String, bytes: [UInt8])] {
        let key = FuzzSeeds.signingKey(1).verifyingKey
        let digest = FuzzSeeds.digest("canonical")
        return [
            ("uint64-300", [0] + UInt64(300).canonicalEncoding),
            ("uint64-max", [0] + UInt64.max.canonicalEncoding),
            ("uint32", [1] + UInt32(70_000).canonicalEncoding),
            ("uint16", [2] + UInt16(513).canonicalEncoding),
            ("int64-negative", [3] + Int64(-5).canonicalEncoding),
            ("bool", [4] + true.canonicalEncoding),
            ("string", [5] + "héllo".canonicalEncoding),
            ("address", [6] + key.address.canonicalEncoding),
            ("digest", [7] + digest.canonicalEncoding),
            ("verifying-key", [8] + key.canonicalEncoding),
            ("merkle-proof", [10] + MerkleProof(leafIndex: 2, leafCount: 5, path: [digest, .zero]).canonicalEncoding),
            ("program", [11, 6, 0, 5, 9, 8, 3, 57] + [0xAC, 0x02, 2, 0x68, 0x69, 0, 1, 7, 1]),
            ("bech32", [0] + Array(key.address.bech32.utf8)),
        ]
    }
}
