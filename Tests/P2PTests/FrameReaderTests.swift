// Frames cut from a byte stream in any chunks come out whole and in order; an oversized one is refused at once.

import DeAITesting
import P2P
import Testing

@Suite("Frame reader")
struct FrameReaderTests {
    @Test("frames split at every possible point, or all at once, come out whole and in order", arguments: [1, 2, 3, 7, 64, 10_000])
    func anyChunking(_ chunk: Int) throws {
        var random = SeededGenerator(seed: UInt64(chunk))
        let payloads: [[UInt8]] = (0..<40).map { index in
            (0..<Int(random.next() % 300) + (index == 0 ? 0 : 1)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        } + [[]]
        let stream = payloads.flatMap(FrameReader.frame)
        var reader = FrameReader(limit: 1_000)
        var frames: [[UInt8]] = []
        var offset = 0
        while offset < stream.count {
            let end = min(stream.count, offset + chunk)
            frames += try reader.append(stream[offset..<end])
            offset = end
        }
        #expect(frames == payloads)
        #expect(reader.pendingByteCount == 0)
    }

    @Test("a length above the limit is refused as soon as its four bytes arrive, before any payload")
    func oversized() throws {
        var reader = FrameReader(limit: 1_024)
        #expect(try reader.append([0, 0]).isEmpty)
        #expect(throws: FrameError.frameTooLarge(length: 1_025, limit: 1_024)) { try reader.append([4, 1]) }
        var huge = FrameReader(limit: 16 << 20)
        #expect(throws: FrameError.frameTooLarge(length: Int(UInt32.max), limit: 16 << 20)) { try huge.append([255, 255, 255, 255]) }
    }

    @Test("a frame at exactly the limit is accepted")
    func atLimit() throws {
        var reader = FrameReader(limit: 5)
        #expect(try reader.append(FrameReader.frame([1, 2, 3, 4, 5])) == [[1, 2, 3, 4, 5]])
    }
}
