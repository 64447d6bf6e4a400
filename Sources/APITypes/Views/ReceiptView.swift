// APITypes: a transaction receipt in JSON.

public import DeAICore
public import Ledger

/// What happened to a committed transaction.
public struct ReceiptView: Codable, Sendable, Hashable {
    /// The transaction's hash.
    public var transactionHash: SHA256Digest
    /// The block that included it.
    public var height: Height
    /// Its position in the block.
    public var index: UInt32
    /// Whether the payload succeeded (`code` is 0).
    public var success: Bool
    /// 0 on success, else the frozen ledger failure code (2xx).
    public var code: UInt16
    /// Empty on success, else why the payload failed.
    public var message: String
    /// The fee paid, success or not.
    public var fee: Amount

    private enum CodingKeys: String, CodingKey {
        case transactionHash = "transaction_hash", height, index, success, code, message, fee
    }

    /// The view of `receipt`.
    public init(_ receipt: TransactionReceipt) {
        self.transactionHash = receipt.transactionHash
        self.height = receipt.height
        self.index = receipt.index
        self.success = receipt.succeeded
        self.code = receipt.code
        self.message = receipt.message
        self.fee = receipt.fee
    }

    /// The ledger's receipt, as hashed into the block's receipts root.
    public var receipt: TransactionReceipt {
        TransactionReceipt(
            transactionHash: self.transactionHash, height: self.height, index: self.index, code: self.code,
            message: self.message, fee: self.fee
        )
    }
}
