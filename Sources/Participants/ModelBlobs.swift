// Model weights and updates as blobs.

public import DeAICore
import Federation
public import Ledger

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

    /// The blob of an update in a task with sealed updates: its float32 encoding sealed to `recipients` in the
    /// update's context (``sealingContext(taskID:round:contributor:)``), deterministically in `secret`.
    /// - Throws: ``DeAICore/SealingError`` (no evaluator registered a key, say).
    public static func sealedUpdateBlob(
        _ delta: [Float], taskID: UInt64, round: UInt32, contributor: Address, to recipients: [SealingPublicKey],
        secret: [UInt8]
    ) throws(SealingError) -> [UInt8] {
        try SealedBlob.seal(
            self.updateBlob(delta), to: recipients,
            context: self.sealingContext(taskID: taskID, round: round, contributor: contributor), secret: secret)
    }

    /// Fetches and decodes `update`, revealed in `round`, opening it with the participant's sealing key when the
    /// task seals updates (it must be sealed to the round's ``Ledger/TrainingRound/sealingKeys``); checks its
    /// length when `count` is given.
    /// - Throws: ``ParticipantError/invalidBlob(_:reason:)`` when the blob does not open or decode.
    public static func update(
        _ update: UpdateSubmission, in round: TrainingRound, sealed: Bool, count: Int? = nil,
        from network: any TrainingNetwork
    ) async throws -> [Float] {
        let bytes = try await network.fetchBlob(update.blob)
        do {
            let context = self.sealingContext(taskID: round.taskID, round: round.number, contributor: update.contributor)
            let plain = try !sealed
                ? bytes : SealedBlob.open(bytes, with: network.sealingKey, context: context, recipients: round.sealingKeys)
            return try decodeVector(plain, expectedCount: count)
        } catch {
            throw ParticipantError.invalidBlob(update.blob, reason: "\(error)")
        }
    }

    /// What a sealed update is bound to: its task, round and trainer, so it opens nowhere else.
    static func sealingContext(taskID: UInt64, round: UInt32, contributor: Address) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.encode("deai/sealed-update")
        encoder.encode(taskID)
        encoder.encode(round)
        encoder.encode(contributor)
        return encoder.bytes
    }

    /// The float32 blob of `weights` and its hash: the identity of a model version.
    public static func modelBlob(_ weights: [Float]) -> (bytes: [UInt8], hash: SHA256Digest) {
        let bytes = encodeVector(weights, as: .float32)
        return (bytes, SHA256Digest(hashing: bytes))
    }
}
