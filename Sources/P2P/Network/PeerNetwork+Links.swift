// PeerNetwork's links: serving a connection, dialling persistent peers with backoff, and dialling the nodes that
// peer exchange finds.

import Consensus
import DeAICore
import Logging
import NIOCore
import Synchronization

extension PeerNetwork {
    /// Serves one connection, accepted or dialled (`dialled`: the address it was dialled at), until it ends: the
    /// hello, admission to the table, then a writer of the peer's queue beside a reader of its messages.
    func serve(_ connection: PeerConnection, dialled: PeerAddress?) async {
        do {
            try await PeerLink.run(connection, hello: self.hello, limits: self.configuration.limits) { link in
                try await self.serve(link, closing: connection.channel.channel, dialled: dialled)
            }
        } catch {
            await self.linkEnded(connection, dialled: dialled, error: error)
        }
    }

    private func serve(_ link: PeerLink, closing channel: any Channel, dialled: PeerAddress?) async throws {
        let peer = PeerID(link.peer.description)
        let (queue, outbound) = AsyncStream.makeStream(
            of: [UInt8].self, bufferingPolicy: .bufferingNewest(self.configuration.sendQueueCapacity))
        let (bulkQueue, bulk) = AsyncStream.makeStream(
            of: [UInt8].self, bufferingPolicy: .bufferingNewest(self.configuration.sendQueueCapacity))
        let admission = self.table.withLock { table in
            table.admit(peer, dialled: dialled != nil, now: ContinuousClock.now, outbound: outbound, bulk: bulk) {
                channel.close(promise: nil)
            }
        }
        let id: UInt64
        switch admission {
        case .failure(let refusal):
            let level: Logger.Level = refusal == .ownKey ? .error : .debug
            self.logger.log(level: level, "peer link refused", metadata: ["peer": "\(peer)", "reason": "\(refusal)"])
            return
        case .success(let admitted):
            id = admitted.id
            admitted.replaced?.close()
        }
        defer {
            outbound.finish()
            bulk.finish()
            self.table.withLock { $0.remove(peer, id: id) }
            self.logger.info("peer unlinked", metadata: ["peer": "\(peer)"])
        }
        if let dialled { self.table.withLock { $0.learn(dialled) } }
        self.logger.info("peer linked", metadata: ["peer": "\(peer)", "dialled": "\(dialled != nil)"])
        if self.configuration.peerExchange { outbound.yield(PeerMessage.addressRequest.encoding) }
        if let me = self.advertisedAddress { outbound.yield(PeerMessage.addresses([me]).encoding) }
        let writer = link.writer
        // One blob request answered at a time, each written before the next is read from disk: a peer that asks
        // for a large blob again and again holds one copy of it in memory, not one per request.
        let (blobRequests, blobRequested) = AsyncStream.makeStream(of: SHA256Digest.self, bufferingPolicy: .bufferingNewest(16))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await encoded in queue { try await writer.send(encoded: encoded) }
            }
            group.addTask {
                for await encoded in bulkQueue { try await writer.send(encoded: encoded) }
            }
            group.addTask {
                for await hash in blobRequests { try await writer.send(encoded: await self.answer(blobRequest: hash).encoding) }
            }
            do {
                for try await message in link.messages {
                    self.receive(message, from: peer, outbound: outbound, blobRequests: blobRequested)
                }
            } catch let error as PeerLinkError where error.breaksProtocol {
                // Banned before the link leaves the table, so that the peer cannot slip in again between the two.
                self.ban(peer, because: "\(error)")
                throw error
            }
            group.cancelAll()
        }
    }

    private func receive(
        _ message: PeerMessage, from peer: PeerID, outbound: AsyncStream<[UInt8]>.Continuation,
        blobRequests: AsyncStream<SHA256Digest>.Continuation
    ) {
        switch message {
        case .consensus(let message):
            self.inbox.yield(ConsensusEnvelope(message, from: peer))
        case .addressRequest:
            let known = self.table.withLock { $0.addresses(excluding: peer, limit: PeerMessage.maxAddresses - 1) }
            let addresses = (self.advertisedAddress.map { [$0] } ?? []) + known
            outbound.yield(PeerMessage.addresses(addresses).encoding)
        case .addresses(let addresses):
            self.table.withLock { table in
                for address in addresses { table.learn(address) }
            }
        case .blobRequest(let hash):
            blobRequests.yield(hash)
        case .blob(let bytes):
            self.receiveBlob(bytes)
        case .blobMissing(let hash):
            self.receiveBlobMissing(hash, from: peer)
        }
    }

    /// Logs why a link ended, and bans a peer that broke the protocol.
    private func linkEnded(_ connection: PeerConnection, dialled: PeerAddress?, error: any Error) async {
        let peer = (try? await connection.peer.get()).map { PeerID($0.description) }
        let name = peer.map(\.name) ?? dialled.map(\.description) ?? connection.channel.channel.remoteAddress.map { "\($0)" } ?? "?"
        switch error {
        case let error as PeerLinkError:
            if error.breaksProtocol {
                // A link admitted to the table was banned as it ended; this one broke the protocol before.
                if let peer, !self.table.withLock({ $0.isBanned(peer, now: ContinuousClock.now) }) {
                    self.ban(peer, because: "\(error)")
                }
            } else {
                self.logger.notice("peer link ended", metadata: ["peer": "\(name)", "reason": "\(error)"])
            }
        case let error as PeerAuthenticationError:
            self.logger.notice("peer not authenticated", metadata: ["peer": "\(name)", "reason": "\(error)"])
        default:
            self.logger.debug("peer link ended", metadata: ["peer": "\(name)", "reason": "\(error)"])
        }
    }

    // MARK: - Dialling

    /// Dials `address` whenever it is not linked, waiting longer after each failure (up to the longest backoff).
    func keepDialling(_ address: PeerAddress) async {
        let peer = PeerID(address.key.description)
        var backoff = self.configuration.dialBackoff.lowerBound
        while !Task.isCancelled {
            let skip = self.table.withLock { $0.links[peer] != nil || $0.isBanned(peer, now: ContinuousClock.now) }
            if !skip {
                let started = ContinuousClock.now
                await self.dial(address)
                // A link that lasted resets the backoff; a failed dial doubles it.
                backoff = ContinuousClock.now - started > .seconds(10)
                    ? self.configuration.dialBackoff.lowerBound : min(backoff * 2, self.configuration.dialBackoff.upperBound)
            }
            try? await Task.sleep(for: skip ? self.configuration.dialBackoff.lowerBound : backoff)
        }
    }

    /// Dials `address` and serves the link until it ends.
    func dial(_ address: PeerAddress) async {
        do {
            let connection = try await self.tls.connect(host: address.host, port: address.port, expecting: address.key)
            await self.serve(connection, dialled: address)
        } catch {
            self.logger.debug("peer not reached", metadata: ["peer": "\(address)", "reason": "\(error)"])
        }
    }

    /// Every few seconds, dials nodes learned by peer exchange while fewer than ``PeerNetworkConfiguration/maxDialledPeers``
    /// links are dialled by this node.
    func dialDiscoveredPeers() async {
        await withDiscardingTaskGroup { group in
            var dialling: Set<PeerID> = []
            while !Task.isCancelled {
                let (candidates, dialled) = self.table.withLock { table in
                    (table.unlinked(now: ContinuousClock.now), table.links.values.filter(\.dialled).count)
                }
                dialling = dialling.filter { peer in self.table.withLock { $0.links[peer] == nil } }
                let room = self.configuration.maxDialledPeers - dialled - dialling.count
                for address in candidates.prefix(max(0, room)) where dialling.insert(PeerID(address.key.description)).inserted {
                    group.addTask { await self.dial(address) }
                }
                try? await Task.sleep(for: self.configuration.peerExchangeInterval)
            }
            group.cancelAll()
        }
    }
}
