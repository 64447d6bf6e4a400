// End to end: the built `deai` against a node it started, as a script would use them.

import Foundation
import Testing

@Suite("deai chain commands", .timeLimit(.minutes(3)))
struct ChainCommandsTests {
    @Test("init, start, a new key, a transfer, queries with --prove, clear errors, and a clean SIGTERM")
    func transferAndProve() async throws {
        try await withTemporaryDirectory { directory in
            let home = directory + "/home"
            let initialized = try await DeAIExecutable.run(["init", "--home", home])
            #expect(initialized.status == 0, "\(initialized.stderr)")
            #expect(initialized.stdout.contains("default key"))
            #expect(initialized.stdout.contains("deai start"))

            try await withRunningNode(home: home, arguments: ["--block-interval-ms", "100"]) { node in
                let keys = try await DeAIExecutable.run(["keys", "new", "alice", "--home", home, "--json"])
                #expect(keys.status == 0, "\(keys.stderr)")
                let alice = try #require(try keys.json()["address"] as? String)
                #expect(alice.hasPrefix("deai1"))

                let transfer = try await DeAIExecutable.run([
                    "tx", "transfer", "--from", "default", "--to", alice, "--amount", "100", "--wait",
                    "--home", home, "--node", node.url,
                ])
                #expect(transfer.status == 0, "\(transfer.stderr)")
                #expect(transfer.stdout.contains("succeeded"))

                let account = try await DeAIExecutable.run(["query", "account", alice, "--json", "--node", node.url])
                #expect(account.status == 0, "\(account.stderr)")
                #expect(try account.json()["balance"] as? Int == 100)

                let proven = try await DeAIExecutable.run(["query", "account", alice, "--prove", "--home", home, "--node", node.url])
                #expect(proven.status == 0, "\(proven.stderr)")
                #expect(proven.stdout.contains("proof verified against the state root of block"))
                #expect(proven.stdout.contains("signed by validators holding"))

                // Alice holds 100 and pays a fee: sending 1,000 fails in its block, and says why.
                let tooMuch = try await DeAIExecutable.run([
                    "tx", "transfer", "--from", "alice", "--to", alice, "--amount", "1000", "--wait",
                    "--home", home, "--node", node.url,
                ])
                #expect(tooMuch.status != 0)
                #expect(tooMuch.stdout.contains("insufficient funds"))
                #expect(tooMuch.stderr.contains("code 201"))

                let unknownKey = try await DeAIExecutable.run([
                    "tx", "transfer", "--from", "nobody", "--to", alice, "--amount", "1", "--home", home,
                    "--node", node.url,
                ])
                #expect(unknownKey.status != 0)
                #expect(unknownKey.stderr.contains("no key named \"nobody\""))
                #expect(unknownKey.stderr.split(separator: "\n").count == 1)
                #expect(unknownKey.stdout.isEmpty)

                let again = try await DeAIExecutable.run([
                    "tx", "transfer", "--from", "default", "--to", alice, "--amount", "5", "--memo", "again", "--wait",
                    "--json", "--home", home, "--node", node.url,
                ])
                #expect(again.status == 0, "\(again.stderr)")
                let hash = try #require(try again.json()["hash"] as? String)
                let transaction = try await DeAIExecutable.run(["query", "tx", hash, "--node", node.url])
                #expect(transaction.status == 0, "\(transaction.stderr)")
                #expect(transaction.stdout.contains("succeeded"))
                #expect(transaction.stdout.contains("again"))

                let status = try await DeAIExecutable.run(["query", "status", "--json", "--node", node.url])
                #expect(try status.json()["chain_id"] as? String == "deai-local")
                let validators = try await DeAIExecutable.run(["query", "validators", "--json", "--node", node.url])
                #expect((try validators.json()["validators"] as? [Any])?.count == 1)

                let block = try await DeAIExecutable.run(["query", "block", "1", "--json", "--node", node.url])
                #expect(block.status == 0, "\(block.stderr)")
                #expect((try block.json()["header"] as? [String: Any])?["height"] as? Int == 1)

                let exitStatus = try await node.stop()
                #expect(exitStatus == 0, "logs:\n\(node.logText())")
            }
        }
    }

    @Test("a parameter-change proposal passes by the validator's vote and takes effect after its voting period")
    func governance() async throws {
        try await withTemporaryDirectory { directory in
            let home = directory + "/home"
            let initialized = try await DeAIExecutable.run(["init", "--home", home, "--voting-period", "3"])
            #expect(initialized.status == 0, "\(initialized.stderr)")

            try await withRunningNode(home: home, arguments: ["--block-interval-ms", "1000"]) { node in
                let proposed = try await DeAIExecutable.run([
                    "tx", "propose", "--from", "default", "--param", "block_reward=7", "--title", "Smaller reward",
                    "--deposit", "1000", "--json", "--home", home, "--node", node.url,
                ])
                #expect(proposed.status == 0, "\(proposed.stderr)")
                #expect(try proposed.json()["proposal_id"] as? Int == 1)
                #expect(try proposed.json()["status"] as? String == "voting")

                let voted = try await DeAIExecutable.run([
                    "tx", "vote", "--from", "default", "--proposal", "1", "--option", "yes", "--wait",
                    "--home", home, "--node", node.url,
                ])
                #expect(voted.status == 0, "\(voted.stderr)")

                var status = "voting"
                for _ in 0..<60 where status == "voting" {
                    try await Task.sleep(for: .milliseconds(250))
                    let proposal = try await DeAIExecutable.run([
                        "query", "proposal", "1", "--json", "--node", node.url,
                    ])
                    status = try proposal.json()["status"] as? String ?? "?"
                }
                #expect(status == "passed")

                let parameters = try await DeAIExecutable.run(["query", "params", "--json", "--node", node.url])
                let values = try #require(try parameters.json()["parameters"] as? [String: Any])
                #expect(values["block_reward"] as? Int == 7)

                let stopped = try await node.stop()
                #expect(stopped == 0)
            }
        }
    }
}
