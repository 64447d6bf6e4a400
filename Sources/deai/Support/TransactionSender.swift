// The one path every `deai tx` command takes: sign locally, submit, optionally wait.

import APITypes
import DeAICore
import Foundation
import Ledger
import Node

/// Signs a payload with a keystore key and submits it to the node.
///
/// The node gives the chain ID, the sender's next nonce and the minimum fee; signing happens here, so the key never
/// leaves the machine. With `--wait` the receipt is printed; a failed payload is an error (exit code 1) whose
/// line gives the failure code and message.
struct TransactionSender {
    let global: GlobalOptions
    let options: TransactionOptions

    /// Signs and submits `payload` with `key` (by default the key of `--from`, unlocked now), then prints the
    /// outcome.
    ///
    /// - Throws: ``CLIError`` or ``NodeError`` when the key cannot be used, the node refuses the transaction, or
    ///   (with `--wait`) the payload failed.
    func send(_ payload: Payload, signedWith key: SigningKey? = nil) async throws {
        let submission = try await self.submit(payload, wait: self.options.wait, signedWith: key)
        try self.report(submission.result, hash: submission.hash, kind: payload.kind)
    }

    /// What a submission gave: the transaction's hash, its sender, and the node's answer.
    struct Submission {
        /// The transaction's hash.
        var hash: SHA256Digest
        /// The signing key's address.
        var sender: Address
        /// The node's answer; it holds the receipt when `wait` was set and the block came in time.
        var result: SubmitResult
    }

    /// The key of `--from`, unlocked with the passphrase.
    /// - Throws: ``CLIError`` or ``NodeError`` when the key cannot be read or unlocked.
    func signingKey() throws -> SigningKey {
        try self.global.nodeHome.keystore.signingKey(self.options.from, passphrase: try self.options.passphrase.passphrase())
    }

    /// Signs and submits `payload` without printing anything.
    ///
    /// - Parameters:
    ///   - wait: Whether to wait for the block and its receipt.
    ///   - key: The key to sign with, for a caller that already unlocked it; by default the key of `--from`.
    /// - Throws: ``CLIError`` or ``NodeError`` when the key cannot be used or the node refuses the transaction.
    func submit(_ payload: Payload, wait: Bool, signedWith key: SigningKey? = nil) async throws -> Submission {
        let key = try key ?? self.signingKey()
        let node = self.options.node
        let status = try await node.call { try await $0.status() }
        let nonce: UInt64
        if let given = self.options.nonce {
            nonce = given
        } else {
            nonce = try await node.call { try await $0.account(key.verifyingKey.address).nextNonce }
        }
        let fee: Amount
        if let given = self.options.fee {
            fee = given
        } else {
            fee = try await node.call { try await $0.parameters().parameters.minimumFee }
        }
        let body = TransactionBody(
            chainID: status.chainID,
            sender: key.verifyingKey,
            nonce: nonce,
            fee: fee,
            payload: payload,
            memo: self.options.memo
        )
        let transaction = try Transaction(signing: body, with: key)
        let result = try await node.call { try await $0.submit(transaction, wait: wait) }
        return Submission(hash: transaction.hash, sender: key.verifyingKey.address, result: result)
    }

    private func report(_ result: SubmitResult, hash: SHA256Digest, kind: String) throws {
        if self.global.json {
            try Output.printJSON(result)
        } else if let receipt = result.receipt {
            let outcome = receipt.success ? "succeeded" : "failed (code \(receipt.code)): \(receipt.message)"
            print("\(kind) \(hash) committed in block \(receipt.height): \(outcome)")
        } else {
            print("\(kind) \(hash) submitted")
        }
        if self.options.wait {
            guard let receipt = result.receipt else {
                throw CLIError(
                    "transaction \(hash) was not committed in time; check later with `deai query tx \(hash)`"
                )
            }
            guard receipt.success else {
                throw CLIError(
                    "transaction \(hash) failed in block \(receipt.height): code \(receipt.code): \(receipt.message)"
                )
            }
        }
    }
}
