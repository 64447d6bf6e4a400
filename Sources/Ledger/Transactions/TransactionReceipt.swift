// The outcome of a transaction included in a block.

public import DeAICore

/// What happened to a transaction in a block: hashed into the block header's receipts root.
public struct TransactionReceipt: Sendable, Hashable, Codable {
    /// The transaction's hash.
    public var transactionHash: SHA256Digest
    /// The block that included it.
    public var height: Height
    /// Its position in the block.
    public var index: UInt32
    /// 0 for success, else the frozen ``LedgerError/code`` of the failure.
    public var code: UInt16
    /// Empty on success, else a sentence saying why the payload failed.
    public var message: String
    /// The fee paid.
    public var fee: Amount

    /// A receipt with every field given.
    public init(transactionHash: SHA256Digest, height: Height, index: UInt32, code: UInt16, message: String, fee: Amount) {
        self.transactionHash = transactionHash
        self.height = height
        self.index = index
        self.code = code
        self.message = message
        self.fee = fee
    }

    /// Whether the payload succeeded.
    public var succeeded: Bool { self.code == 0 }

    /// The bytes a block's receipts root commits to: the transaction hash, height, index, code and fee, without
    /// ``message``. The message is for people: rewording it must not change a block's hash, or nodes running two
    /// versions would fork.
    public var committedEncoding: [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.encode(self.transactionHash)
        encoder.encode(self.height)
        encoder.encode(self.index)
        encoder.encode(self.code)
        encoder.encode(self.fee)
        return encoder.bytes
    }
}

extension TransactionReceipt: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.transactionHash)
        encoder.encode(self.height)
        encoder.encode(self.index)
        encoder.encode(self.code)
        encoder.encode(self.message)
        encoder.encode(self.fee)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.transactionHash = try decoder.decode(SHA256Digest.self)
        self.height = try decoder.decodeUInt64()
        self.index = try decoder.decodeUInt32()
        self.code = try decoder.decodeUInt16()
        self.message = try decoder.decodeString()
        self.fee = try decoder.decodeUInt64()
    }
}
