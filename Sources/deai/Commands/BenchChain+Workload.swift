// The signed transfers `deai bench chain` measures with.

import DeAICore
import Ledger

/// A reproducible chain workload: funded senders, a validator, and pre-signed transfers.
struct ChainWorkload {
    /// The chain ID of the benchmark chain.
    static let chainID = "deai-bench"

    let validatorKey: SigningKey
    let senders: [SigningKey]
    let genesis: Genesis
    /// Signed transfers, each sender's in nonce order, interleaved across senders.
    let transactions: [VerifiedTransaction]

    /// `count` transfers of 1 token from `senderCount` funded senders to fresh addresses, fee 1.
    init(transactions count: Int, senders senderCount: Int) throws {
        self.validatorKey = try Self.key("validator")
        self.senders = try (0..<senderCount).map { try Self.key("sender-\($0)") }
        var parameters = ChainParameters()
        parameters.maxBlockTransactions = UInt64(max(count, 1))
        self.genesis = Genesis(
            chainID: Self.chainID, genesisTime: 1_764_000_000_000, parameters: parameters,
            accounts: self.senders.map { .init(address: $0.verifyingKey.address, balance: 1_000_000_000) }
                + [.init(address: self.validatorKey.verifyingKey.address, balance: 1_000_000)],
            validators: [
                .init(operatorAddress: self.validatorKey.verifyingKey.address, consensusKey: self.validatorKey.verifyingKey, stake: 1_000_000, moniker: "bench")
            ]
        )
        var transactions: [VerifiedTransaction] = []
        transactions.reserveCapacity(count)
        for index in 0..<count {
            let sender = self.senders[index % senderCount]
            let recipient = try Address(bytes: Array(SHA256Digest(hashing: Array("recipient-\(index)".utf8)).bytes.prefix(20)))
            let body = TransactionBody(
                chainID: Self.chainID, sender: sender.verifyingKey, nonce: UInt64(index / senderCount), fee: 1,
                payload: .transfer(to: recipient, amount: 1)
            )
            transactions.append(VerifiedTransaction(try Transaction(signing: body, with: sender)))
        }
        self.transactions = transactions
    }

    private static func key(_ label: String) throws -> SigningKey {
        try SigningKey(rawRepresentation: SHA256Digest(hashing: Array("deai-bench-\(label)".utf8)).bytes)
    }
}
