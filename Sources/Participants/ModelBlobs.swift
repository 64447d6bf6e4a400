// Model weights and updates as blobs.

public import DeAICore
import Federation

/// Reading and writing weight vectors as blobs (the Federation vector format, float32 for models).
public enum ModelBlobs {
    /// Fetches and decodes the vector with `hash`, checking its length when `count` is given.
    /// - Throws: ``ParticipantError/invalidBlob(_:reason:)`` when the blob does not decode.
    public static func vector(_ hash: SHA256Digest, count: Int? = nil, from network: any TrainingNetwork) async throws -> [Float] {
        let bytes = try await network.fetchBlob(hash)
        do {
            return try decodeVector(bytes, expectedCount: count)
        } catch {
            throw ParticipantError.invalidBlob(hash, reason: "\(error)")
        }
    }

    /// The blob of an update: its float32 encoding (lossless, so every evaluator aggregates the same numbers).
    public static func updateBlob(_ delta: [Float]) -> [UInt8] {
        encodeVector(delta, as: .float32)
    }

    /// The float32 blob of `weights` and its hash: the identity of a model version.
    public static func modelBlob(_ weights: [Float]) -> (bytes: [UInt8], hash: SHA256Digest) {
        let bytes = encodeVector(weights, as: .float32)
        return (bytes, SHA256Digest(hashing: bytes))
    }
}
