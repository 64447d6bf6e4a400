// The hashes that bind what trainers and evaluators reveal to what they committed before anyone could see it.

public import DeAICore

/// The commitment hashes of a round's commit–reveal phases, and the salts that keep them hiding.
///
/// A trainer commits to `SHA-256(len ‖ "deai/update-commitment" ‖ canonical(task, round, trainer, blob, salt))`;
/// an evaluator to `SHA-256(len ‖ "deai/score-commitment" ‖ canonical(task, round, evaluator, assessments, salt))`,
/// `len` being the tag's length byte (a domain-separated ``DeAICore/SHA256Digest``). The
/// member's address is inside the hash, so a commitment copied from another member never opens; the salt is
/// 32 secret random bytes, so a commitment gives away nothing of the content, even for a guessable content.
public enum RoundCommitment {
    /// The length of a salt in bytes.
    public static let saltLength = 32

    /// The commitment to an update blob.
    public static func update(
        taskID: UInt64, round: UInt32, contributor: Address, blob: SHA256Digest, salt: [UInt8]
    ) -> SHA256Digest {
        var encoder = CanonicalEncoder()
        encoder.encode(taskID)
        encoder.encode(round)
        encoder.encode(contributor)
        encoder.encode(blob)
        encoder.encode(fixedBytes: salt)
        return SHA256Digest(domain: "deai/update-commitment", hashing: encoder.bytes)
    }

    /// The commitment to an evaluator's assessments.
    public static func scores(
        taskID: UInt64, round: UInt32, evaluator: Address, assessments: [UpdateAssessment], salt: [UInt8]
    ) -> SHA256Digest {
        var encoder = CanonicalEncoder()
        encoder.encode(taskID)
        encoder.encode(round)
        encoder.encode(evaluator)
        encoder.encode(assessments)
        encoder.encode(fixedBytes: salt)
        return SHA256Digest(domain: "deai/score-commitment", hashing: encoder.bytes)
    }

    /// A salt derived from a member's secret and the commitment's place: unpredictable to anyone without the
    /// secret, and the same after a restart, so a member that crashed between commit and reveal can still reveal.
    ///
    /// - Parameters:
    ///   - secret: bytes only the member knows (its signing key's seed, say).
    ///   - taskID, round: where the commitment is made.
    ///   - purpose: `"update"` or `"scores"`.
    public static func salt(secret: [UInt8], taskID: UInt64, round: UInt32, purpose: String) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.encode(bytes: secret)
        encoder.encode(taskID)
        encoder.encode(round)
        encoder.encode(purpose)
        return SHA256Digest(domain: "deai/commitment-salt", hashing: encoder.bytes).bytes
    }
}
