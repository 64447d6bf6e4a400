// PeerFrameTarget: the byte stream of a connection between nodes, cut into frames, each frame one message.

import DeAICore
import FuzzSupport
import P2P

/// Feeds P2P's `FrameReader` and `PeerMessage(frame:)`. The first byte sets the chunk size (1 to 256) in which the
/// rest arrives; the reader must account for every byte (frames plus pending), and each frame is decoded as the
/// hello (the first frame only) and as a message, which must re-encode to the frame's exact bytes.
enum PeerFrameTarget: FuzzTarget {
    /// The largest frame, small so that a run spends its time on the decoders.
    static let frameLimit = 1 << 16

    static func test(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let chunkSize = Int(input.takeByte()) + 1
        let stream = input.rest
        var reader = FrameReader(limit: Self.frameLimit)
        var frames: [[UInt8]] = []
        for start in stride(from: 0, to: stream.count, by: chunkSize) {
            guard let completed = try? reader.append(stream[start..<min(start + chunkSize, stream.count)]) else { break }
            frames += completed
            let framed = frames.reduce(0) { $0 + 4 + $1.count }
            FuzzCheck.require(
                framed + reader.pendingByteCount == min(start + chunkSize, stream.count), "the reader lost bytes")
        }
        for (index, frame) in frames.enumerated() {
            if index == 0 { FuzzCheck.canonicalRoundTrip(PeerHello.self, frame) }
            guard let message = try? PeerMessage(frame: frame) else { continue }
            FuzzCheck.require(message.encoding == frame, "a peer message re-encodes to other bytes")
        }
    }

    static var seeds: [(name: String, bytes: [UInt8])] {
        let key = FuzzSeeds.signingKey(1).verifyingKey
        let hello = PeerHello(chainID: "deai-fuzz", genesisHash: FuzzSeeds.digest("genesis"))
        let messages: [PeerMessage] = [
            .addressRequest,
            .addresses([PeerAddress(key: key, host: "127.0.0.1", port: 26656), PeerAddress(key: key, host: "node.example", port: 1)]),
            .blobRequest(FuzzSeeds.digest("blob")),
            .blob([1, 2, 3, 4, 5]),
            .blobMissing(FuzzSeeds.digest("missing")),
        ]
        let stream = ([hello.canonicalEncoding] + messages.map(\.encoding)).flatMap(FrameReader.frame)
        return [
            ("stream-whole", [255] + stream),
            ("stream-bytewise", [0] + stream),
            ("stream-chunks-of-7", [6] + stream),
        ]
    }
}
