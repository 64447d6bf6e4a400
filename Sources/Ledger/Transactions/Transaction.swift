// A signed transaction.

public import DeAICore

/// The signed part of a transaction.
public struct TransactionBody: Sendable, Hashable {
    /// The chain the transaction is meant for; another chain refuses it (no cross-chain replay).
    public var chainID: String
    /// The sender's Ed25519 public key; the sender's address is derived from it.
    public var sender: VerifyingKey
    /// The sender's next nonce: each nonce is used once, in order (no replay).
    public var nonce: UInt64
    /// The fee paid to the block's proposer, whether or not the payload succeeds.
    public var fee: Amount
    /// What the transaction does.
    public var payload: Payload
    /// Free text, at most `max_memo_bytes` UTF-8 bytes.
    public var memo: String

    /// A body with every field given.
    public init(chainID: String, sender: VerifyingKey, nonce: UInt64, fee: Amount, payload: Payload, memo: String = "") {
        self.chainID = chainID
        self.sender = sender
        self.nonce = nonce
        self.fee = fee
        self.payload = payload
        self.memo = memo
    }

    /// The sender's address.
    public var senderAddress: Address { self.sender.address }
}

/// A transaction: a body and the sender's Ed25519 signature over its domain-separated canonical bytes.
///
/// ```swift
/// let tx = try Transaction(signing: body, with: key)
/// let bytes = tx.canonicalEncoding          // what travels and is stored
/// let same = try Transaction(canonicalEncoding: bytes)
/// ```
public struct Transaction: Sendable, Hashable {
    /// The signed fields.
    public var body: TransactionBody
    /// Ed25519 signature of ``TransactionBody/signingBytes`` by ``TransactionBody/sender``.
    public var signature: Signature

    /// A transaction from a body and a signature (not checked here; see ``hasValidSignature``).
    public init(body: TransactionBody, signature: Signature) {
        self.body = body
        self.signature = signature
    }

    /// The transaction's identity: SHA-256 of its canonical encoding, domain-separated.
    public var hash: SHA256Digest { Self.hash(ofEncoding: self.canonicalEncoding) }

    /// The hash of an already-encoded transaction, without decoding it again.
    public static func hash(ofEncoding encoding: [UInt8]) -> SHA256Digest {
        SHA256Digest(domain: "deai/tx", hashing: encoding)
    }
}

extension TransactionBody: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.chainID)
        encoder.encode(self.sender)
        encoder.encode(self.nonce)
        encoder.encode(self.fee)
        encoder.encode(self.payload)
        encoder.encode(self.memo)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.chainID = try decoder.decodeString(maxBytes: 64)
        self.sender = try decoder.decode(VerifyingKey.self)
        self.nonce = try decoder.decodeUInt64()
        self.fee = try decoder.decodeUInt64()
        self.payload = try decoder.decode(Payload.self)
        self.memo = try decoder.decodeString()
    }
}

extension Transaction: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.body)
        encoder.encode(self.signature)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.body = try decoder.decode(TransactionBody.self)
        self.signature = try decoder.decode(Signature.self)
    }
}
