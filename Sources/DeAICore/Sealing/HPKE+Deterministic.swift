// DeAICore: HPKE's base-mode sender with its ephemeral key derived from input key material (RFC 9180 §7.1.3).

internal import Crypto
import Foundation

/// HPKE (RFC 9180) in base mode with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and ChaCha20-Poly1305, sealing one
/// message to one recipient with the ephemeral key pair `DeriveKeyPair(ikmE)`.
///
/// swift-crypto's `HPKE.Sender` draws its ephemeral key at random; a trainer must be able to make the same sealed
/// update again after a restart (its commitment binds the blob's hash), so the sender runs the RFC's key schedule
/// here on swift-crypto's X25519, HKDF and ChaCha20-Poly1305, with `ikmE` derived from the trainer's secret and the
/// plaintext. Recipients open with swift-crypto's `HPKE.Recipient`; the RFC's test vectors check the two agree.
package enum DeterministicHPKE {
    private static let kemSuite = Array("KEM".utf8) + [0x00, 0x20]
    private static let hpkeSuite = Array("HPKE".utf8) + [0x00, 0x20, 0x00, 0x01, 0x00, 0x03]

    /// Seals `plaintext` to `recipient` with `aad`; returns the encapsulated key and the ciphertext with its tag.
    package static func seal(
        _ plaintext: [UInt8], to recipientKey: SealingPublicKey, info: [UInt8], aad: [UInt8], ikmE: [UInt8]
    ) throws -> (encapsulatedKey: [UInt8], ciphertext: [UInt8]) {
        let recipient = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: recipientKey.rawRepresentation)
        let dkp = self.labeledExtract(salt: [], label: "dkp_prk", ikm: ikmE, suite: self.kemSuite)
        let ephemeral = SealingKey.privateKey(self.labeledExpand(dkp, label: "sk", info: [], length: 32, suite: self.kemSuite))
        let encapsulated = Array(ephemeral.publicKey.rawRepresentation)
        let dh = try ephemeral.sharedSecretFromKeyAgreement(with: recipient).withUnsafeBytes { Array($0) }
        guard dh.contains(where: { $0 != 0 }) else {
            throw SealingError.cannotSeal(recipient: recipientKey, reason: "an all-zero shared secret")
        }
        let eae = self.labeledExtract(salt: [], label: "eae_prk", ikm: dh, suite: self.kemSuite)
        let shared = self.labeledExpand(
            eae, label: "shared_secret", info: encapsulated + recipient.rawRepresentation, length: 32, suite: self.kemSuite)

        let context = [0x00]
            + self.labeledExtract(salt: [], label: "psk_id_hash", ikm: [], suite: self.hpkeSuite)
            + self.labeledExtract(salt: [], label: "info_hash", ikm: info, suite: self.hpkeSuite)
        let secret = self.labeledExtract(salt: shared, label: "secret", ikm: [], suite: self.hpkeSuite)
        let key = self.labeledExpand(secret, label: "key", info: context, length: 32, suite: self.hpkeSuite)
        let nonce = self.labeledExpand(secret, label: "base_nonce", info: context, length: 12, suite: self.hpkeSuite)
        let box = try ChaChaPoly.seal(
            plaintext, using: SymmetricKey(data: key), nonce: try ChaChaPoly.Nonce(data: nonce), authenticating: aad)
        return (encapsulated, Array(box.ciphertext) + Array(box.tag))
    }

    /// Opens what ``seal(_:to:info:aad:ikmE:)`` (or any RFC 9180 sender of this suite) sealed, with swift-crypto.
    package static func open(
        _ ciphertext: [UInt8], encapsulatedKey: [UInt8], with key: SealingKey, info: [UInt8], aad: [UInt8]
    ) throws -> [UInt8] {
        var recipient = try HPKE.Recipient(
            privateKey: key.key, ciphersuite: .Curve25519_SHA256_ChachaPoly, info: Data(info),
            encapsulatedKey: Data(encapsulatedKey))
        return Array(try recipient.open(ciphertext, authenticating: aad))
    }

    /// `LabeledExtract(salt, label, ikm)`: HKDF-Extract(salt, "HPKE-v1" ‖ suite ‖ label ‖ ikm).
    private static func labeledExtract(salt: [UInt8], label: String, ikm: [UInt8], suite: [UInt8]) -> [UInt8] {
        let labeled = Array("HPKE-v1".utf8) + suite + Array(label.utf8) + ikm
        return Array(HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: labeled), salt: salt))
    }

    /// `LabeledExpand(prk, label, info, L)`: HKDF-Expand(prk, I2OSP(L, 2) ‖ "HPKE-v1" ‖ suite ‖ label ‖ info, L).
    private static func labeledExpand(_ prk: [UInt8], label: String, info: [UInt8], length: Int, suite: [UInt8]) -> [UInt8] {
        let labeled = [UInt8(length >> 8), UInt8(length & 0xff)] + Array("HPKE-v1".utf8) + suite + Array(label.utf8) + info
        return HKDF<SHA256>.expand(pseudoRandomKey: prk, info: labeled, outputByteCount: length)
            .withUnsafeBytes { Array($0) }
    }
}
