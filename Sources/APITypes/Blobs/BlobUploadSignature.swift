// APITypes: the signature with which a staked member publishes a blob the chain does not name yet.

public import DeAICore

/// A member's signature over a blob upload, sent with `PUT /v1/blobs/{hash}` in two headers: ``uploaderHeader``
/// (the account's public key, hex) and ``signatureHeader`` (the Ed25519 signature, hex) of ``signingBytes(chainID:blob:)``.
///
/// A node stores a blob that its chain does not name yet only when an account holding stake signed the upload,
/// and counts it against that account's quota until the chain names it. The signature binds the chain and the
/// blob and nothing else: replayed, it can only store the same bytes again.
public struct BlobUploadSignature: Sendable, Hashable {
    /// The header holding the uploader's public key, 64 hex digits.
    public static let uploaderHeader = "DeAI-Uploader"
    /// The header holding the signature, 128 hex digits.
    public static let signatureHeader = "DeAI-Signature"
    /// The domain tag in front of the signed bytes.
    public static let signingDomain: [UInt8] = Array("DEAI/BLOB/V1\u{0}".utf8)

    /// The uploader's public key.
    public var uploader: VerifyingKey
    /// Its signature of ``signingBytes(chainID:blob:)``.
    public var signature: Signature

    /// The bytes an uploader signs: the domain tag, then `string(chain_id) ‖ digest(blob)`.
    public static func signingBytes(chainID: String, blob: SHA256Digest) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.encode(chainID)
        encoder.encode(blob)
        return Self.signingDomain + encoder.bytes
    }

    /// `key`'s signature of the upload of `blob` to a node of chain `chainID`.
    /// - Throws: when signing fails (it does not with a valid key).
    public init(signing blob: SHA256Digest, chainID: String, with key: SigningKey) throws {
        self.uploader = key.verifyingKey
        self.signature = try key.signature(for: Self.signingBytes(chainID: chainID, blob: blob))
    }

    /// The signature in the two headers' values, or `nil` when either is not valid hex of the right length.
    public init?(uploader: String, signature: String) {
        guard let keyBytes = try? [UInt8](hexString: uploader), let key = try? VerifyingKey(rawRepresentation: keyBytes),
            let signatureBytes = try? [UInt8](hexString: signature),
            let signature = try? Signature(rawRepresentation: signatureBytes)
        else { return nil }
        self.uploader = key
        self.signature = signature
    }

    /// The headers' values: the public key and the signature in lowercase hex.
    public var headerValues: (uploader: String, signature: String) {
        (self.uploader.rawRepresentation.hexString, self.signature.rawRepresentation.hexString)
    }

    /// Whether ``signature`` is ``uploader``'s valid signature of the upload of `blob` to chain `chainID`.
    public func isValid(for blob: SHA256Digest, chainID: String) -> Bool {
        self.uploader.isValidSignature(self.signature, for: Self.signingBytes(chainID: chainID, blob: blob))
    }
}
