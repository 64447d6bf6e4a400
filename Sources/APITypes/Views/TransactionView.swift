// APITypes: a committed transaction in JSON.

public import DeAICore
public import Ledger

/// A committed transaction: its signed fields, its canonical encoding, where it is and its receipt.
public struct TransactionView: Codable, Sendable, Hashable {
    /// The transaction's hash.
    public var hash: SHA256Digest
    /// The block that included it.
    public var height: Height
    /// Its position in the block.
    public var index: UInt32
    /// The chain it was signed for.
    public var chainID: String
    /// The sender's address.
    public var sender: Address
    /// The sender's public key.
    public var senderKey: VerifyingKey
    /// The sender's nonce.
    public var nonce: UInt64
    /// The fee offered.
    public var fee: Amount
    /// The memo.
    public var memo: String
    /// What the transaction does.
    public var payload: PayloadView
    /// The sender's signature.
    public var signature: Signature
    /// The canonical encoding, from which a client can recheck the hash and the signature.
    public var encoding: HexBytes
    /// What happened.
    public var receipt: ReceiptView

    private enum CodingKeys: String, CodingKey {
        case hash, height, index, sender, nonce, fee, memo, payload, signature, encoding, receipt
        case chainID = "chain_id", senderKey = "sender_key"
    }

    /// The view of a committed transaction and its receipt.
    public init(_ transaction: Transaction, receipt: TransactionReceipt) {
        let encoding = transaction.canonicalEncoding
        self.hash = Transaction.hash(ofEncoding: encoding)
        self.height = receipt.height
        self.index = receipt.index
        self.chainID = transaction.body.chainID
        self.sender = transaction.body.senderAddress
        self.senderKey = transaction.body.sender
        self.nonce = transaction.body.nonce
        self.fee = transaction.body.fee
        self.memo = transaction.body.memo
        self.payload = PayloadView(transaction.body.payload)
        self.signature = transaction.signature
        self.encoding = HexBytes(encoding)
        self.receipt = ReceiptView(receipt)
    }
}
