// A node killed with SIGKILL in the middle of a stream of transfers loses nothing it reported committed.

import APITypes
import DeAICore
import Foundation
import Ledger
import Node
import Testing

@Suite("Crash recovery of a real node process")
struct CrashRecoveryTests {
    @Test("SIGKILL during a stream of transfers: every committed transfer survives and the state equals a replay")
    func killedNodeRestartsWithEverythingCommitted() async throws {
        try await withTemporaryDirectory { home in
            try await self.expectSuccess(["init", "--home", home, "--chain-id", "crash-test"])
            let sender = try KeyFile.read(from: "\(home)/keys/default.json").signingKey(passphrase: nil, path: "default")
            let recipient = try Address(bytes: [UInt8](repeating: 7, count: 20))

            let node = try await RunningNode.start(home: home, arguments: ["--block-interval-ms", "40"])
            let committed: [SHA256Digest: ReceiptView]
            do {
                committed = try await self.streamTransfers(from: sender, to: recipient, node: HTTPJSON(port: node.port), untilCommitted: 60)
            } catch {
                node.killIfRunning()
                throw error
            }
            await node.crash()

            let status = try await withRunningNode(home: home, arguments: ["--block-interval-ms", "3600000"]) { restarted in
                let api = HTTPJSON(port: restarted.port)
                for (hash, receipt) in committed {
                    let view = try #require(try await api.getIfFound("/v1/txs/\(hash)", as: TransactionView.self), "lost \(hash)")
                    #expect(view.receipt == receipt)
                }
                let status = try await api.get("/v1/status", as: StatusView.self)
                #expect(status.height >= committed.values.map(\.height).max() ?? 0)
                let account = try await api.get("/v1/accounts/\(recipient)", as: AccountView.self)
                #expect(account.balance >= UInt64(committed.count))
                #expect(try await restarted.stop() == 0, "a node stopped with SIGTERM exits cleanly")
                return status
            }

            let replay = try await self.expectSuccess(["replay", "--home", home, "--json"])
            let result = try JSONDecoder().decode(ReplayOutput.self, from: Data(replay.stdout.utf8))
            #expect(result.height == status.height)
            #expect(result.stateRoot == status.stateRoot)
        }
    }

    /// Submits transfers one after another and collects those the node reports committed, until `count` are.
    private func streamTransfers(
        from sender: SigningKey, to recipient: Address, node api: HTTPJSON, untilCommitted count: Int
    ) async throws -> [SHA256Digest: ReceiptView] {
        let chainID = try await api.get("/v1/status", as: StatusView.self).chainID
        var nonce = try await api.get("/v1/accounts/\(sender.verifyingKey.address)", as: AccountView.self).nonce
        var committed: [SHA256Digest: ReceiptView] = [:]
        var pending: [SHA256Digest] = []
        while committed.count < count {
            let body = TransactionBody(
                chainID: chainID, sender: sender.verifyingKey, nonce: nonce, fee: 1, payload: .transfer(to: recipient, amount: 1)
            )
            let transaction = try Transaction(signing: body, with: sender)
            _ = try await api.post("/v1/txs", body: SubmitRequest(transaction: transaction.canonicalEncoding), as: SubmitResult.self)
            pending.append(transaction.hash)
            nonce += 1
            while let next = pending.first, let view = try await api.getIfFound("/v1/txs/\(next)", as: TransactionView.self) {
                committed[next] = view.receipt
                pending.removeFirst()
            }
        }
        return committed
    }

    @discardableResult
    private func expectSuccess(_ arguments: [String]) async throws -> CommandResult {
        let result = try await DeAIExecutable.run(arguments)
        guard result.status == 0 else { throw TestFailure("deai \(arguments.joined(separator: " ")) failed: \(result.stderr)") }
        return result
    }

    private struct ReplayOutput: Decodable {
        var height: UInt64
        var stateRoot: SHA256Digest

        private enum CodingKeys: String, CodingKey { case height, stateRoot = "state_root" }
    }
}
