// The hand-written JSON of predict answers: the bytes JSONEncoder writes, or a decline.

import API
import APITypes
import DeAICore
import DeAITesting
import Foundation
import Ledger
import Testing

@Suite("Predict answer JSON")
struct PredictResponseJSONTests {
    /// What `JSONResponse` writes: compact, keys sorted, slashes unescaped.
    static func encoded(_ response: PredictResponse) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(response))
    }

    static func response(
        probabilities: [[Float]], labels: [String]? = nil, model: String = "1.1", channel: UInt64? = nil
    ) throws -> PredictResponse {
        let key = ServingFixtures.server
        let receipt = try AnswerReceipt(
            signedBy: key, chainID: "test", taskID: 7, version: 3, model: SHA256Digest(hashing: [1]),
            input: SHA256Digest(hashing: [2]), output: SHA256Digest(hashing: [3]))
        return PredictResponse(
            model: model, classes: probabilities.indices.map { $0 % 10 }, labels: labels, probabilities: probabilities,
            receipt: AnswerReceiptView(receipt), charged: channel == nil ? 0 : 12_345, channelID: channel)
    }

    @Test("random answers are written byte for byte as JSONEncoder writes them")
    func randomAnswers() throws {
        var generator = SeededGenerator(seed: 5)
        let specials: [Float] = [0, -0, 1, 0.5, 1e-7, 5e-8, .leastNonzeroMagnitude, .leastNormalMagnitude, 3.4028235e38, 123_456_792, 0.1]
        for _ in 0..<500 {
            let rows = Int.random(in: 0...4, using: &generator)
            let probabilities = (0..<rows).map { _ in
                (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                    Bool.random(using: &generator)
                        ? specials.randomElement(using: &generator)! : Float.random(in: 0...1, using: &generator)
                }
            }
            let labels = Bool.random(using: &generator)
                ? (0..<rows).map { _ in ["cat", "dog/wolf", "8", "a b", "{x}", "'q'"].randomElement(using: &generator)! } : nil
            let channel = Bool.random(using: &generator) ? UInt64.random(in: 0...UInt64.max, using: &generator) : nil
            let response = try Self.response(probabilities: probabilities, labels: labels, channel: channel)
            let written = try #require(PredictResponseJSON.encode(response))
            #expect(written == (try Self.encoded(response)), "\(String(decoding: written, as: UTF8.self))")
        }
    }

    @Test(
        "labels and model names JSON escapes, characters beyond ASCII and non-finite probabilities are left to JSONEncoder",
        arguments: [
            ([[0.5]], ["say \"hi\""], "1.1"), ([[0.5]], ["back\\slash"], "1.1"), ([[0.5]], ["tab\t"], "1.1"),
            ([[0.5]], ["café"], "1.1"), ([[0.5]], nil, "1.1\n"), ([[Float.nan]], nil, "1.1"),
            ([[Float.infinity]], nil, "1.1"),
        ] as [([[Float]], [String]?, String)])
    func declined(probabilities: [[Float]], labels: [String]?, model: String) throws {
        #expect(PredictResponseJSON.encode(try Self.response(probabilities: probabilities, labels: labels, model: model)) == nil)
    }
}
