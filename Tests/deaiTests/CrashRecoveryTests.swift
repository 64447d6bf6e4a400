// A node killed with SIGKILL in the middle of a stream of transfers loses nothing it reported committed.

import API
import DeAICore
import Foundation
import Ledger
import Node
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Crash recovery of a real node process", .serialized)
struct CrashRecoveryTests {
    @Test("SIGKILL during a stream of transfers: every committed transfer survives and the state equals a replay")
    func killedNodeRestartsWithEverythingCommitted() async throws {
        let home = try DeaiProcess.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try DeaiProcess.run(["init", "--home", home, "--chain-id", "crash-test"])
        let sender = try KeyFile.read(from: "\(home)/keys/default.json").signingKey(passphrase: nil, path: "default")

        let node = try DeaiProcess.start(["start", "--home", home, "--api-port", "0", "--block-interval-ms", "40"])
        let api = HTTPJSON(port: node.port)
        let chainID = try await api.get("/v1/status", as: StatusView.self).chainID
        var nonce = try await api.get("/v1/accounts/\(sender.verifyingKey.address)", as: AccountView.self).nonce

        // Submit transfers one after another and collect the ones the node reports committed, until it dies.
        var committed: [SHA256Digest: ReceiptView] = [:]
        var pending: [SHA256Digest] = []
        let recipient = try Address(bytes: [UInt8](repeating: 7, count: 20))
        while committed.count < 60 {
            let body = TransactionBody(chainID: chainID, sender: sender.verifyingKey, nonce: nonce, fee: 1, payload: .transfer(to: recipient, amount: 1))
            let transaction = try Transaction(signing: body, with: sender)
            _ = try await api.post("/v1/txs", body: SubmitRequest(transaction: transaction.canonicalEncoding), as: SubmitResult.self)
            pending.append(transaction.hash)
            nonce += 1
            for hash in pending where committed[hash] == nil {
                guard let view = try await api.getIfFound("/v1/txs/\(hash)", as: TransactionView.self) else { break }
                committed[hash] = view.receipt
            }
        }
        node.kill()  // SIGKILL: no chance to flush anything

        let restarted = try DeaiProcess.start(["start", "--home", home, "--api-port", "0", "--block-interval-ms", "3600000"])
        let again = HTTPJSON(port: restarted.port)
        for (hash, receipt) in committed {
            let view = try #require(try await again.getIfFound("/v1/txs/\(hash)", as: TransactionView.self), "lost \(hash)")
            #expect(view.receipt == receipt)
        }
        let status = try await again.get("/v1/status", as: StatusView.self)
        #expect(status.height >= committed.values.map(\.height).max() ?? 0)
        let account = try await again.get("/v1/accounts/\(recipient)", as: AccountView.self)
        #expect(account.balance >= UInt64(committed.count))
        #expect(restarted.terminate() == 0, "a SIGTERM'd node exits cleanly")

        let replay = try JSONDecoder().decode(ReplayOutput.self, from: try DeaiProcess.run(["replay", "--home", home, "--json"]))
        #expect(replay.height == status.height)
        #expect(replay.stateRoot == status.stateRoot)
    }

    private struct ReplayOutput: Decodable {
        var height: UInt64
        var stateRoot: SHA256Digest

        private enum CodingKeys: String, CodingKey { case height, stateRoot = "state_root" }
    }
}
