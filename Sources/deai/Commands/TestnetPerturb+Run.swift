// One run of `deai testnet perturb`: the nodes, the load, the faults, then the checks.

import APITypes
import DeAICore
import Foundation
import Ledger
import Node
import Synchronization

/// Runs a testnet's nodes through a ``FaultSchedule`` with transfers flowing, then checks agreement, commits,
/// durability of acknowledged transfers, and liveness.
final class PerturbRun: Sendable {
    let nodes: [NodeProcess]
    let schedule: FaultSchedule
    let progress: StderrProgress

    /// Nodes faulted now, which the load avoids.
    private let faulted = Mutex<Set<Int>>([])
    /// Transfers a node reported committed, with the height it named.
    private let acknowledged = Mutex<[SHA256Digest: Height]>([:])

    init(nodes: [NodeProcess], schedule: FaultSchedule, progress: StderrProgress) {
        self.nodes = nodes
        self.schedule = schedule
        self.progress = progress
    }

    func run() async throws -> PerturbReport {
        let links = try await PerturbLinks(nodes: self.nodes)
        do {
            let report = try await self.run(links: links)
            await links.restore()
            return report
        } catch {
            await links.restore()
            throw error
        }
    }

    private func run(links: PerturbLinks) async throws -> PerturbReport {
        for node in self.nodes { try await node.start() }
        defer { for node in self.nodes { node.signal(SIGCONT); node.stop() } }
        let clients = try self.nodes.map { try NodeClient(baseURL: $0.apiURL, timeout: .seconds(8)) }
        let genesis = try self.nodes[0].home.loadGenesis()
        let senders = try self.nodes.map { node in
            try KeyFile.read(from: "\(node.home.keysDirectory)/\(NodeInitializer.defaultKeyName).json")
                .signingKey(passphrase: nil, path: NodeInitializer.defaultKeyName)
        }
        let load = Task {
            await withTaskGroup(of: Void.self) { group in
                for (index, sender) in senders.enumerated() {
                    group.addTask { await self.sendTransfers(from: sender, chainID: genesis.chainID, clients: clients, first: index) }
                }
            }
        }
        let start = ContinuousClock.now
        var violations: [String] = []
        for fault in self.schedule.faults {
            try await Task.sleep(until: start + .milliseconds(Int(fault.start * 1_000)))
            violations += try await self.apply(fault, links: links, clients: clients)
        }
        let reached = try await self.heights(clients).max() ?? 0
        self.progress.say("faults over at height \(reached); waiting for every node to commit 3 more blocks…")
        let deadline = ContinuousClock.now + .seconds(60)
        var resumed = false
        while ContinuousClock.now < deadline {
            if try await self.heights(clients).allSatisfy({ $0 >= reached + 3 }) {
                resumed = true
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        if !resumed { violations.append("no progress within 60 s of the last fault: heights \(try await self.heights(clients))") }
        load.cancel()
        await load.value
        let top = try await self.heights(clients).min() ?? 0
        self.progress.say("checking heights 1 to \(top) on every node…")
        violations += try await self.checkAgreement(clients, genesis: genesis, upTo: top)
        violations += await self.checkAcknowledged(clients)
        return PerturbReport(
            validators: self.nodes.count, faults: self.schedule.faults, acknowledgedTransfers: self.acknowledged.withLock(\.count),
            heightsChecked: top, resumed: resumed, violations: violations)
    }

    // MARK: - Faults

    /// Applies `fault` and recovers from it; returns what went wrong meanwhile: a node cut off from two thirds of
    /// the voting power that committed beyond the network's height when cut and the block then in flight.
    private func apply(_ fault: FaultSchedule.Fault, links: PerturbLinks, clients: [NodeClient]) async throws -> [String] {
        let node = self.nodes[fault.node]
        let side = FaultSchedule.side(of: fault, nodes: self.nodes.count)
        // The load avoids a node that is down or cut off; in a split every node is up, and waits with the rest.
        let avoided = fault.kind == .split ? [] : [fault.node]
        self.faulted.withLock { $0.formUnion(avoided) }
        defer { self.faulted.withLock { $0.subtract(avoided) } }
        let whom = fault.kind == .split
            ? "validators \(side.sorted().map(String.init).joined(separator: ",")) from the rest"
            : "validator-\(fault.node)"
        self.progress.say(String(format: "t=%5.1f s  %@ %@ for %.1f s", fault.start, fault.kind.rawValue, whom, fault.seconds))
        switch fault.kind {
        case .kill: node.kill()
        case .freeze: node.signal(SIGSTOP)
        case .restart: node.stop()
        case .isolate, .split: links.cut(side)
        }
        // In a split every node is cut off from two thirds; when one is isolated, that one.
        let stranded = fault.kind == .split ? Array(self.nodes.indices) : fault.kind == .isolate ? [fault.node] : []
        let before = try await self.heights(clients)
        try await Task.sleep(for: .milliseconds(Int(fault.seconds * 1_000)))
        let after = try await self.heights(clients)
        switch fault.kind {
        case .kill, .restart: try await node.start()
        case .freeze: node.signal(SIGCONT)
        case .isolate, .split: links.heal()
        }
        // A stranded node may still catch up on blocks decided before the cut, from peers on its side.
        let decided = (before.max() ?? 0) + 1
        return stranded.filter { after[$0] > decided }.map {
            "validator-\($0) reached height \(after[$0]) while cut off from two thirds of the voting power (the network was at \(decided - 1) when cut)"
        }
    }

    // MARK: - Load

    /// Sends `sender`'s transfers one after another through the nodes not faulted, each until a node reports
    /// it committed (a transfer that may have been admitted is sent again as is, never replaced).
    private func sendTransfers(from sender: SigningKey, chainID: String, clients: [NodeClient], first: Int) async {
        var nonce: UInt64 = 0
        var next = first
        if let account = try? await clients[first].account(sender.verifyingKey.address) { nonce = account.nonce }
        let recipient = (try? Address(bytes: [UInt8](repeating: 0xaa, count: 20)))!
        while !Task.isCancelled {
            let body = TransactionBody(
                chainID: chainID, sender: sender.verifyingKey, nonce: nonce, fee: 1, payload: .transfer(to: recipient, amount: 1))
            guard let transfer = try? Transaction(signing: body, with: sender) else { return }
            while !Task.isCancelled {
                let faulted = self.faulted.withLock { $0 }
                next = (next + 1) % clients.count
                guard !faulted.contains(next) else { continue }
                if let receipt = try? await clients[next].submit(transfer, wait: true, waitTimeout: .seconds(5)).receipt {
                    self.acknowledged.withLock { $0[transfer.hash] = receipt.height }
                    break
                }
                if let view = try? await clients[next].transaction(transfer.hash) {
                    self.acknowledged.withLock { $0[transfer.hash] = view.receipt.height }
                    break
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
            nonce += 1
        }
    }

    // MARK: - Checks

    private func heights(_ clients: [NodeClient]) async throws -> [Height] {
        var heights: [Height] = []
        for client in clients { heights.append((try? await client.status().height) ?? 0) }
        return heights
    }

    /// The same block at every height on every node, and every commit verified from the genesis validators on.
    private func checkAgreement(_ clients: [NodeClient], genesis: Genesis, upTo top: Height) async throws -> [String] {
        guard top >= 1 else { return ["no block was committed"] }
        var violations: [String] = []
        var light = try LightClient(genesis: genesis)
        for height in 1...top {
            var hashes: [SHA256Digest] = []
            for client in clients { hashes.append(try await client.block(height).hash) }
            if Set(hashes).count != 1 { violations.append("height \(height): the nodes hold different blocks \(hashes)") }
            do {
                _ = try await light.verifyHeader(at: height, from: clients[0])
            } catch {
                violations.append("height \(height): \(error)")
            }
        }
        return violations
    }

    /// Every transfer a node reported committed is committed, at the height it named, on every node.
    private func checkAcknowledged(_ clients: [NodeClient]) async -> [String] {
        var violations: [String] = []
        for (hash, height) in self.acknowledged.withLock({ $0 }).sorted(by: { $0.value < $1.value }) {
            for (index, client) in clients.enumerated() {
                let found = try? await client.transaction(hash)
                if found?.receipt.height != height {
                    violations.append("transfer \(hash), reported committed at \(height), is \(found.map { "at \($0.receipt.height)" } ?? "missing") on validator-\(index)")
                }
            }
        }
        return violations
    }
}

/// What `deai testnet perturb` prints.
struct PerturbReport: Codable {
    var validators: Int
    var faults: [FaultSchedule.Fault]
    var acknowledgedTransfers: Int
    var heightsChecked: Height
    var resumed: Bool
    var violations: [String]

    var lines: [String] {
        let counts = Dictionary(grouping: self.faults, by: \.kind).mapValues(\.count)
        let kinds = FaultSchedule.Kind.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        return ["deai testnet perturb — \(self.validators) validator processes"]
            + Output.table([
                ("faults", "\(self.faults.count): \(kinds), one at a time"),
                ("transfers committed", "\(self.acknowledgedTransfers) reported committed, each found on every node at its height"),
                ("heights checked", "1 to \(self.heightsChecked): same block on every node, every commit verified from genesis"),
                ("after the faults", self.resumed ? "blocks committed again on every node" : "no progress"),
            ])
            + (self.violations.isEmpty ? ["all invariants hold"] : ["VIOLATIONS:"] + self.violations.map { "  " + $0 })
    }
}
