// `deai` commands that need no running node: init, keys, usage errors.

import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("deai offline commands")
struct OfflineCommandsTests {
    @Test("init refuses an initialized home unless --force")
    func initRefusesOverwrite() async throws {
        try await withTemporaryDirectory { home in
            #expect(try await DeAIExecutable.run(["init", "--home", home]).status == 0)
            let again = try await DeAIExecutable.run(["init", "--home", home])
            #expect(again.status != 0)
            #expect(again.stderr.contains("already initialized"))
            #expect(again.stderr.contains("--force"))
            let forced = try await DeAIExecutable.run(["init", "--home", home, "--force", "--json"])
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(try forced.json()["chain_id"] as? String == "deai-local")
        }
    }

    @Test("keys: new, list, show, export and import as another name; files are 0600")
    func keys() async throws {
        try await withTemporaryDirectory { home in
            let created = try await DeAIExecutable.run(["keys", "new", "alice", "--home", home, "--json"])
            #expect(created.status == 0, "\(created.stderr)")
            let address = try #require(try created.json()["address"] as? String)

            let list = try await DeAIExecutable.run(["keys", "list", "--home", home])
            #expect(list.stdout.contains("alice"))
            #expect(list.stdout.contains(address))

            let show = try await DeAIExecutable.run(["keys", "show", "alice", "--home", home])
            #expect(show.stdout.contains(address))

            let exported = try await DeAIExecutable.run(["keys", "export", "alice", "--home", home])
            #expect(exported.status == 0)
            let file = home + "/alice-export.json"
            try Data(exported.stdout.utf8).write(to: URL(fileURLWithPath: file))
            let imported = try await DeAIExecutable.run([
                "keys", "import", "copy", "--file", file, "--home", home, "--json",
            ])
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(try imported.json()["address"] as? String == address)

            let seeded = try await DeAIExecutable.run([
                "keys", "import", "seeded", "--seed-hex", String(repeating: "ab", count: 32), "--home", home,
            ])
            #expect(seeded.status == 0, "\(seeded.stderr)")

            let attributes = try FileManager.default.attributesOfItem(atPath: home + "/keys/alice.json")
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
    }

    @Test("a key made with DEAI_PASSPHRASE is encrypted and needs the passphrase to sign")
    func encryptedKey() async throws {
        try await withTemporaryDirectory { home in
            let created = try await DeAIExecutable.run(
                ["keys", "new", "vault", "--home", home, "--json"],
                environment: ["DEAI_PASSPHRASE": "s3cret"]
            )
            #expect(created.status == 0, "\(created.stderr)")
            #expect(try created.json()["encrypted"] as? Bool == true)
            let address = try #require(try created.json()["address"] as? String)

            // Signing happens before the node is contacted: the key errors come first.
            let arguments = [
                "tx", "transfer", "--from", "vault", "--to", address, "--amount", "1", "--home", home,
                "--node", "http://127.0.0.1:1",
            ]
            let missing = try await DeAIExecutable.run(arguments)
            #expect(missing.stderr.contains("encrypted"))
            let wrong = try await DeAIExecutable.run(arguments, environment: ["DEAI_PASSPHRASE": "guess"])
            #expect(wrong.stderr.contains("wrong passphrase"))
            let passphraseFile = home + "/passphrase"
            try Data("s3cret\n".utf8).write(to: URL(fileURLWithPath: passphraseFile))
            let right = try await DeAIExecutable.run(arguments + ["--passphrase-file", passphraseFile])
            #expect(right.stderr.contains("cannot reach the node"))
        }
    }

    @Test(
        "bad input is one line on stderr and a non-zero exit",
        arguments: [
            ["tx", "transfer", "--from", "default", "--to", "not-an-address", "--amount", "1"],
            ["tx", "vote", "--from", "default", "--proposal", "1", "--option", "maybe"],
            ["tx", "propose", "--from", "default", "--param", "no_such_param=1", "--title", "t", "--deposit", "1"],
            ["query", "account", "deai1xyz"],
            ["keys", "show", "nobody"],
        ]
    )
    func badInput(arguments: [String]) async throws {
        try await withTemporaryDirectory { home in
            let result = try await DeAIExecutable.run(arguments + ["--home", home])
            #expect(result.status != 0)
            #expect(result.stderr.hasPrefix("Error: "), "\(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
        }
    }

    @Test("a busy API port is named with the flag that moves it; a misspelt config key names the closest")
    func operatorsErrors() async throws {
        try await withTemporaryDirectory { home in
            #expect(try await DeAIExecutable.run(["init", "--home", home]).status == 0)
            let listener = try LoopbackListener()
            let busy = try await DeAIExecutable.run(["start", "--home", home, "--api-port", "\(listener.port)"])
            #expect(busy.status != 0)
            #expect(busy.stderr.contains("cannot listen on 127.0.0.1:\(listener.port) for the API: the address is in use"),
                    "\(busy.stderr)")
            #expect(busy.stderr.contains("--api-port"))

            try #"{"blok_interval_ms": 5}"#.write(toFile: home + "/config.json", atomically: true, encoding: .utf8)
            let misspelt = try await DeAIExecutable.run(["start", "--home", home])
            #expect(misspelt.status != 0)
            #expect(misspelt.stderr.contains("unknown key 'blok_interval_ms' (did you mean 'block_interval_ms'?)"),
                    "\(misspelt.stderr)")
        }
    }
}

/// A TCP socket listening on a free loopback port until it is released, to make a port busy.
private final class LoopbackListener {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && listen(descriptor, 1) == 0
                    && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard descriptor >= 0, listening else { throw TestFailure("cannot listen on loopback: errno \(errno)") }
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(self.descriptor) }
}
