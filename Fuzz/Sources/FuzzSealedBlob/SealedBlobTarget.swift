// SealedBlobTarget: sealed update blobs, as an evaluator opens them after fetching them from peers.

import DeAICore
import FuzzSupport

/// Feeds `SealedBlob.open` with the recipient key and context of its seeds. Whatever the bytes, opening returns or
/// throws; and only the seeds' own bytes open: a blob that differs in any byte, or encodes the same fields another
/// way, must fail to authenticate or to decode.
enum SealedBlobTarget: FuzzTarget {
    static let recipient = SealingKey(deriving: [UInt8](repeating: 7, count: 32))
    static let context = Array("deai fuzz: task 1 round 2".utf8)

    static func test(_ bytes: [UInt8]) {
        guard let opened = try? SealedBlob.open(bytes, with: Self.recipient, context: Self.context) else { return }
        let seed = Self.seeds.first { $0.bytes == bytes }
        FuzzCheck.require(seed != nil, "bytes that are not a seed opened as a sealed blob (\(opened.count) bytes)")
    }

    static var seeds: [(name: String, bytes: [UInt8])] {
        let others = (1...3).map { SealingKey(deriving: [UInt8](repeating: $0, count: 32)).publicKey }
        func sealed(_ message: [UInt8], to keys: [SealingPublicKey]) -> [UInt8] {
            // Sealing to at least one valid key cannot fail.
            try! SealedBlob.seal(message, to: keys, context: Self.context, secret: Array("fuzz seed".utf8))
        }
        let update = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        return [
            ("alone", sealed(update, to: [Self.recipient.publicKey])),
            ("among-others", sealed(update, to: others + [Self.recipient.publicKey])),
            ("empty-message", sealed([], to: [Self.recipient.publicKey])),
            ("not-a-recipient", sealed(update, to: others)),
        ]
    }
}
