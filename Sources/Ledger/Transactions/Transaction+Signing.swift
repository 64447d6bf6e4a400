// Signing and verifying transactions.

public import DeAICore

extension TransactionBody {
    /// The domain tag in front of every signed transaction body, so that a transaction signature can never be
    /// mistaken for a vote or any other signed message.
    public static let signingDomain: [UInt8] = Array("DEAI/TX/V1\u{0}".utf8)

    /// The exact bytes the sender signs: the domain tag, then the canonical encoding of the body.
    public var signingBytes: [UInt8] { Self.signingDomain + self.canonicalEncoding }
}

extension Transaction {
    /// Signs `body` with `key`.
    /// - Throws: ``LedgerError/malformedTransaction(reason:)`` when `key` is not the body's sender key, or
    ///   the signing itself fails.
    public init(signing body: TransactionBody, with key: SigningKey) throws(LedgerError) {
        guard key.verifyingKey == body.sender else {
            throw .malformedTransaction(reason: "the signing key is not the sender's key")
        }
        do {
            self.init(body: body, signature: try key.signature(for: body.signingBytes))
        } catch {
            throw .malformedTransaction(reason: "signing failed: \(error)")
        }
    }

    /// Whether ``signature`` is the sender's valid Ed25519 signature of the body.
    ///
    /// - Complexity: One Ed25519 verification (about 45 µs on one core here); callers verify each transaction once.
    public var hasValidSignature: Bool {
        self.body.sender.isValidSignature(self.signature, for: self.body.signingBytes)
    }
}
