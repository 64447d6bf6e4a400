// DeAICore: a blob only its recipients can read — an update sealed to a round's evaluators.

internal import Crypto
import Foundation

/// A message sealed to several recipients: the blob store, and anyone who fetches the blob, holds only ciphertext.
///
/// The message is encrypted once with ChaCha20-Poly1305 under a content key, and the content key is sealed to each
/// recipient's ``SealingPublicKey`` with HPKE (RFC 9180, base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
/// ChaCha20-Poly1305). The blob is the canonical encoding of
///
///     "deai-sealed" ‖ version 2 ‖ array of (recipient key 32 ‖ encapsulated key 32 ‖ sealed content key 48)
///     ‖ bytes(ciphertext ‖ tag)
///
/// HPKE's `info` is the caller's `context` (for an update: task, round and trainer), so a sealed key lifted into
/// another context does not open; the content's associated data is the context and the recipients, so none can be
/// added or removed. Sealing is deterministic in the sender's `secret`, the context, the message and the
/// recipients: the content key (used for this one message, with a zero nonce) is derived from them, so a trainer
/// that restarts makes the same blob, with the hash it committed to, as long as it seals to the same recipients.
///
/// Every recipient reads the same blob or none does. Each recipient's ephemeral key is derived from the content
/// key and that recipient's key (as the Fujisaki–Okamoto transform derives its randomness from the message), so a
/// recipient that opens its copy re-derives every other recipient's copy byte for byte and refuses the blob if one
/// differs. A sender cannot hand one evaluator a junk or different key while the others read the update, which
/// would split the evaluators' aggregates and stall the round's agreement. The content key is 256 random-looking
/// bits that only the recipients learn, so deriving from it gives outsiders nothing.
public enum SealedBlob {
    /// The most recipients a blob may name.
    public static let recipientLimit = 256
    private static let magic = "deai-sealed"
    private static let version: UInt8 = 2

    /// `message` sealed to `recipients` (deduplicated and sorted) in `context`, deterministically in `secret`.
    /// - Throws: ``SealingError/noRecipients`` or ``SealingError/tooManyRecipients(_:)``.
    public static func seal(
        _ message: [UInt8], to recipients: [SealingPublicKey], context: [UInt8], secret: [UInt8]
    ) throws(SealingError) -> [UInt8] {
        let keys = Array(Set(recipients)).sorted()
        guard !keys.isEmpty else { throw .noRecipients }
        guard keys.count <= self.recipientLimit else { throw .tooManyRecipients(keys.count) }
        // Everything the ciphertext depends on goes into its key, so a key never encrypts two different things.
        var material = CanonicalEncoder()
        material.encode(bytes: secret)
        material.encode(bytes: context)
        material.encode(keys)
        material.encode(SHA256Digest(hashing: message))
        let contentKey = self.derive(material.bytes, "deai/sealed-content-key")
        var entries: [Entry] = []
        for key in keys {
            do {
                entries.append(try self.entry(sealing: contentKey, to: key, context: context))
            } catch {
                throw .cannotSeal(recipient: key, reason: "\(error)")
            }
        }
        do {
            let box = try ChaChaPoly.seal(
                message, using: SymmetricKey(data: contentKey), nonce: try ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12)),
                authenticating: self.associatedData(context: context, entries: entries))
            var encoder = CanonicalEncoder()
            encoder.encode(self.magic)
            encoder.encode(self.version)
            encoder.encode(entries)
            encoder.encode(bytes: Array(box.ciphertext) + Array(box.tag))
            return encoder.bytes
        } catch {
            throw .cannotSeal(recipient: nil, reason: "\(error)")
        }
    }

    /// Whether `blob` looks like a sealed blob (its magic), whether or not it opens.
    public static func isSealed(_ blob: [UInt8]) -> Bool {
        var decoder = CanonicalDecoder(bytes: blob)
        return (try? decoder.decodeString(maxBytes: 16)) == self.magic
    }

    /// The message `blob` seals in `context`, opened with the recipient's `key`; when `recipients` is given, the
    /// blob must be sealed to exactly those keys (sorted, without repeats).
    /// - Throws: ``SealingError`` when the blob is malformed, is sealed to other recipients, does not name `key`, or
    ///   fails to authenticate.
    public static func open(
        _ blob: [UInt8], with key: SealingKey, context: [UInt8], recipients: [SealingPublicKey]? = nil
    ) throws(SealingError) -> [UInt8] {
        let entries: [Entry]
        let sealed: [UInt8]
        do {
            var decoder = CanonicalDecoder(bytes: blob)
            guard try decoder.decodeString(maxBytes: 16) == self.magic, try decoder.decodeUInt8() == self.version else {
                throw SealingError.malformed(reason: "not a version-\(self.version) sealed blob")
            }
            entries = try decoder.decodeArray(of: Entry.self, maxCount: self.recipientLimit)
            sealed = try decoder.decodeBytes()
            try decoder.finish()
        } catch let error as SealingError {
            throw error
        } catch {
            throw .malformed(reason: "\(error)")
        }
        if let recipients, entries.map(\.recipient) != recipients { throw .otherRecipients }
        let me = key.publicKey
        guard let entry = entries.first(where: { $0.recipient == me }) else { throw .notARecipient(me) }
        let contentKey: [UInt8]
        do {
            contentKey = try DeterministicHPKE.open(
                entry.sealedKey, encapsulatedKey: entry.encapsulatedKey, with: key, info: context, aad: [])
        } catch {
            throw .authenticationFailed
        }
        for other in entries where (try? self.entry(sealing: contentKey, to: other.recipient, context: context)) != other {
            throw .inconsistentCopies(other.recipient)
        }
        do {
            let box = try ChaChaPoly.SealedBox(combined: [UInt8](repeating: 0, count: 12) + sealed)
            return Array(
                try ChaChaPoly.open(
                    box, using: SymmetricKey(data: contentKey),
                    authenticating: self.associatedData(context: context, entries: entries)))
        } catch {
            throw .authenticationFailed
        }
    }

    /// `recipient`'s copy of `contentKey`: HPKE with the ephemeral key derived from the content key and the
    /// recipient, so that whoever holds the content key can re-derive it.
    private static func entry(sealing contentKey: [UInt8], to recipient: SealingPublicKey, context: [UInt8]) throws -> Entry {
        let ikmE = self.derive(contentKey + recipient.rawRepresentation, "deai/sealed-ephemeral")
        let sealed = try DeterministicHPKE.seal(contentKey, to: recipient, info: context, aad: [], ikmE: ikmE)
        return Entry(recipient: recipient, encapsulatedKey: sealed.encapsulatedKey, sealedKey: sealed.ciphertext)
    }

    private static func associatedData(context: [UInt8], entries: [Entry]) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.encode(bytes: context)
        encoder.encode(entries)
        return encoder.bytes
    }

    private static func derive(_ secret: [UInt8], _ info: String) -> [UInt8] {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret), info: Array(info.utf8), outputByteCount: 32)
            .withUnsafeBytes { Array($0) }
    }

    /// One recipient's copy of the content key.
    struct Entry: CanonicalCodable, Equatable {
        var recipient: SealingPublicKey
        var encapsulatedKey: [UInt8]
        var sealedKey: [UInt8]

        init(recipient: SealingPublicKey, encapsulatedKey: [UInt8], sealedKey: [UInt8]) {
            self.recipient = recipient
            self.encapsulatedKey = encapsulatedKey
            self.sealedKey = sealedKey
        }

        func encode(to encoder: inout CanonicalEncoder) {
            encoder.encode(self.recipient)
            encoder.encode(fixedBytes: self.encapsulatedKey)
            encoder.encode(fixedBytes: self.sealedKey)
        }

        init(from decoder: inout CanonicalDecoder) throws(CodecError) {
            self.recipient = try decoder.decode(SealingPublicKey.self)
            self.encapsulatedKey = try decoder.decodeFixedBytes(count: 32)
            self.sealedKey = try decoder.decodeFixedBytes(count: 48)
        }
    }
}

/// Why a blob could not be sealed or opened.
public enum SealingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// There is nobody to seal to.
    case noRecipients
    /// More recipients than ``SealedBlob/recipientLimit``.
    case tooManyRecipients(Int)
    /// swift-crypto refused to seal (to `recipient`, or the content).
    case cannotSeal(recipient: SealingPublicKey?, reason: String)
    /// The bytes are not a sealed blob.
    case malformed(reason: String)
    /// The blob is not sealed to this key.
    case notARecipient(SealingPublicKey)
    /// The blob is not sealed to the recipients it had to be sealed to (a round's evaluators).
    case otherRecipients
    /// The blob names this key but does not open with it in this context: tampered, or sealed for another.
    case authenticationFailed
    /// The blob gives `recipient` a copy of the content key other than the one it gave this recipient: every
    /// recipient must refuse it alike.
    case inconsistentCopies(SealingPublicKey)

    public var description: String {
        switch self {
        case .noRecipients: "there is no recipient to seal to (no evaluator has registered a sealing key)"
        case .tooManyRecipients(let count): "\(count) recipients, more than \(SealedBlob.recipientLimit)"
        case .cannotSeal(let recipient, let reason): "cannot seal\(recipient.map { " to \($0)" } ?? ""): \(reason)"
        case .malformed(let reason): "not a sealed blob: \(reason)"
        case .notARecipient(let key): "the blob is not sealed to key \(key)"
        case .otherRecipients: "the blob is not sealed to the recipients it must be sealed to (the round's evaluators)"
        case .authenticationFailed: "the sealed blob does not open with this key in this context (tampered or sealed for another)"
        case .inconsistentCopies(let key):
            "the sealed blob gives recipient \(key) a different content key: no recipient may read it"
        }
    }
}
