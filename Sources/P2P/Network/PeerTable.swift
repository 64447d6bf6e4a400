// PeerTable: who a node is linked to, whom it bans, and which addresses it knows — the bookkeeping, without I/O.

import Consensus
import DeAICore

/// A node's links, bans and address book. It decides which of two connections between the same pair of nodes
/// survives (both ends decide alike), refuses banned peers and peers beyond the maximum, and bounds the book.
struct PeerTable {
    /// A live link to a peer.
    struct Link {
        /// Tells this link apart from an earlier or later one to the same peer.
        let id: UInt64
        /// The peer.
        let peer: PeerID
        /// Whether this node dialled it.
        let dialled: Bool
        /// The frames waiting to be sent to it: votes, proposals, blocks and addresses.
        let outbound: AsyncStream<[UInt8]>.Continuation
        /// Relayed transactions, sent beside ``outbound`` so that a flood of them never queues ahead of a vote.
        let bulk: AsyncStream<[UInt8]>.Continuation
        /// Closes the connection.
        let close: @Sendable () -> Void
    }

    /// Why a link was not admitted.
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case banned
        case duplicate
        case full
        case ownKey

        var description: String {
            switch self {
            case .banned: "the peer is banned"
            case .duplicate: "the nodes are already linked the other way"
            case .full: "the node has as many peers as it takes"
            case .ownKey: "the peer proved this node's own key: another node runs with the same node_key.json"
            }
        }
    }

    /// This node.
    let me: PeerID
    /// The most links, persistent peers not counted against it.
    let maxPeers: Int
    /// The peers linked whatever the maximum.
    let persistent: Set<PeerID>
    /// The most addresses kept.
    static let addressBookCapacity = 1_024

    private(set) var links: [PeerID: Link] = [:]
    private var bans: [PeerID: ContinuousClock.Instant] = [:]
    private(set) var addresses: [PeerID: PeerAddress] = [:]
    private var nextID: UInt64 = 0

    init(me: PeerID, maxPeers: Int, persistent: [PeerAddress]) {
        self.me = me
        self.maxPeers = maxPeers
        self.persistent = Set(persistent.map { PeerID($0.key.description) })
        for address in persistent { self.addresses[PeerID(address.key.description)] = address }
    }

    /// Admits a link to `peer`, or says why not. Of two links between the same nodes, the one dialled by the node
    /// with the smaller key stays, on both ends; a node that dials again replaces its earlier link.
    /// - Returns: the new link's id and the link it replaces, which the caller closes.
    mutating func admit(
        _ peer: PeerID, dialled: Bool, now: ContinuousClock.Instant,
        outbound: AsyncStream<[UInt8]>.Continuation, bulk: AsyncStream<[UInt8]>.Continuation,
        close: @escaping @Sendable () -> Void
    ) -> Result<(id: UInt64, replaced: Link?), Refusal> {
        guard peer != self.me else { return .failure(.ownKey) }
        guard !self.isBanned(peer, now: now) else { return .failure(.banned) }
        let existing = self.links[peer]
        if let existing {
            let existingDialler = existing.dialled ? self.me : peer
            let newDialler = dialled ? self.me : peer
            if existingDialler != newDialler, existingDialler < newDialler { return .failure(.duplicate) }
        } else if !self.persistent.contains(peer), self.links.count >= self.maxPeers {
            return .failure(.full)
        }
        self.nextID += 1
        self.links[peer] = Link(id: self.nextID, peer: peer, dialled: dialled, outbound: outbound, bulk: bulk, close: close)
        return .success((self.nextID, existing))
    }

    /// Forgets the link `id` to `peer` when it ends (a later link to the same peer stays).
    mutating func remove(_ peer: PeerID, id: UInt64) {
        if self.links[peer]?.id == id { self.links[peer] = nil }
    }

    /// Bans `peer` until `until`, and returns its link, which the caller closes.
    mutating func ban(_ peer: PeerID, until: ContinuousClock.Instant) -> Link? {
        self.bans[peer] = until
        return self.links.removeValue(forKey: peer)
    }

    /// Whether `peer` is banned at `now`.
    mutating func isBanned(_ peer: PeerID, now: ContinuousClock.Instant) -> Bool {
        guard let until = self.bans[peer] else { return false }
        if until <= now { self.bans[peer] = nil }
        return until > now
    }

    /// Learns `address`, unless it is this node's or the book is full; a persistent peer's address never changes.
    mutating func learn(_ address: PeerAddress) {
        let peer = PeerID(address.key.description)
        guard peer != self.me, !self.persistent.contains(peer) else { return }
        guard self.addresses[peer] != nil || self.addresses.count < Self.addressBookCapacity else { return }
        self.addresses[peer] = address
    }

    /// Up to `limit` known addresses other than `peer`'s, in key order.
    func addresses(excluding peer: PeerID, limit: Int) -> [PeerAddress] {
        Array(self.addresses.filter { $0.key != peer }.sorted { $0.key < $1.key }.map(\.value).prefix(limit))
    }

    /// Known addresses not linked nor banned, in key order: whom peer exchange may dial.
    mutating func unlinked(now: ContinuousClock.Instant) -> [PeerAddress] {
        self.addresses.keys.sorted().filter { self.links[$0] == nil && !self.isBanned($0, now: now) }.compactMap { self.addresses[$0] }
    }
}
