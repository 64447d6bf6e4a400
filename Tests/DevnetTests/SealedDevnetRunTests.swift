// A devnet whose owners seal their updates to the evaluators: the model learns, and nobody else can read an update.

import APITypes
import DeAICore
import Devnet
import Federation
import Node
import Testing

@Suite("Sealed devnet runs", .serialized)
struct SealedDevnetRunTests {
    @Test("sealed updates: the blob store holds ciphertext no outsider opens, evaluators still aggregate, and copycats see nothing to copy")
    func updatesOnlyEvaluatorsRead() async throws {
        let seen = SealedBlobs()
        let report = try await runDevnet({
            $0.dataset = .breastCancer
            $0.participants = 6
            $0.malicious = 2
            $0.attack = .copycat
            $0.rounds = 2
            $0.sealedUpdates = true
        }, whileUp: { url in
            guard let client = try? NodeClient(baseURL: url), let round = try? await client.round(task: 1, number: 2) else {
                return
            }
            for update in round.updates {
                guard let bytes = try? await client.getBlob(update.blob) else { continue }
                await seen.record(bytes)
            }
        })
        let blobs = await seen.blobs
        #expect(blobs.count >= 4, "\(blobs.count) update blobs read from the node")
        let outsider = SealingKey(deriving: Array("not an evaluator".utf8))
        for blob in blobs {
            #expect(SealedBlob.isSealed(blob))
            #expect(throws: (any Error).self) { try decodeVector(blob) }
            #expect(throws: SealingError.notARecipient(outsider.publicKey)) {
                try SealedBlob.open(blob, with: outsider, context: [])
            }
        }
        #expect(report.lineage.count == 2, "every round made a model version from the updates evaluators opened")
        #expect(report.finalAccuracy >= 0.85, "final accuracy \(report.finalAccuracy)")
        let copycats = report.participants.filter { $0.behaviour == Attack.copycat.rawValue }
        #expect(copycats.count == 2)
        #expect(copycats.allSatisfy { $0.earned == 0 }, "\(copycats.map(\.earned))")
    }
}

/// The update blobs read from the node while the devnet is up.
private actor SealedBlobs {
    private(set) var blobs: [[UInt8]] = []

    func record(_ blob: [UInt8]) { self.blobs.append(blob) }
}
