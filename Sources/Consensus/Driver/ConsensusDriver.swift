// ConsensusDriver: one validator's consensus from height to height — the machine, validated blocks, gossip,
// catch-up and the messages it signed — as a value: messages in, outputs out.

public import DeAICore
public import Ledger

/// Everything a node does to take part in consensus except signing, sending, timing and storing: it runs a
/// ``TendermintMachine`` for the height being decided on top of the decided ``ChainCore``, validates proposed
/// blocks once each, keeps what it heard for gossip, buffers messages of heights it has not reached and asks the
/// sender for the blocks it missed, and turns the machine's actions into ``Output``s for its host.
///
/// The host — the node's ``Chain``, or the deterministic simulator — signs what ``Output/sign(_:)`` asks for (only
/// if its ``SigningRecord`` allows, made durable first) and hands the signed message back with ``signed(_:)``;
/// sends; calls ``timeout(_:)`` when a scheduled timeout passes; and once the height is decided, applies the
/// ``decision`` and calls ``startHeight(on:ownMessages:)`` with the new core. Like the machine it reads no clock
/// and does no I/O, so that the simulator runs exactly the code a node runs.
///
/// ```swift
/// var driver = ConsensusDriver<PeerID>(me: myAddress, timeouts: .local)
/// perform(driver.startHeight(on: core))
/// perform(driver.receive(message, from: peer))
/// ```
public struct ConsensusDriver<Peer: Hashable & Sendable>: Sendable {
    /// A message to sign: the driver asks, the host's signing record decides.
    public enum Unsigned: Sendable, Hashable {
        /// A proposal.
        case proposal(BlockProposal)
        /// A prevote or precommit.
        case vote(Vote)
    }

    /// What the driver asks its host to do, in order.
    public enum Output: Sendable {
        /// Build a block for this height from the mempool (``ChainCore/propose(from:time:proposer:)``) and hand it
        /// back with ``proposalBuilt(_:)``.
        case buildProposal(height: Height)
        /// Sign this message if the signing record allows it, make the record durable, and hand the signed message
        /// back with ``signed(_:)``.
        case sign(Unsigned)
        /// Send this message to every peer.
        case broadcast(ConsensusMessage)
        /// Send this message to one peer.
        case send(ConsensusMessage, to: Peer)
        /// Send `peer` the decided blocks with their commits from `height` up to the last one.
        case sendDecidedBlocks(from: Height, to: Peer)
        /// Call ``timeout(_:)`` with this timeout after this long.
        case scheduleTimeout(ConsensusTimeout, after: Duration)
        /// This height is decided: after the commit timeout (late precommits still join the commit), apply the
        /// ``decision`` and start the next height.
        case decided(Block)
        /// Another node sent the decided block of this height, validated: apply it with its commit now and start
        /// the next height.
        case apply(ExecutedBlock, Commit)
        /// A validator signed two conflicting votes.
        case evidence(DuplicateVoteEvidence)
        /// `peer` sent what no honest node sends — a vote or proposal whose signature does not verify, a decided
        /// block without a valid commit — and should be disconnected.
        case misbehaving(Peer, reason: String)
    }

    /// This node's validator's operator address; `nil` for a node that follows without voting.
    public let me: Address?
    /// The step timeouts.
    public let timeouts: ConsensusTimeouts

    /// The decided chain the current height builds on.
    public private(set) var core: ChainCore?
    /// The consensus of the height being decided; `nil` before ``startHeight(on:ownMessages:)``.
    public private(set) var machine: TendermintMachine?
    /// Blocks of the current height validated so far, by hash.
    private var executed: [SHA256Digest: ExecutedBlock] = [:]
    /// Every proposal and vote of the current height heard so far, once each, in arrival order (gossip).
    private var heard: [ConsensusMessage] = []
    private var heardSignatures: Set<Signature> = []
    /// Proposals and votes this node signed at this height: asked again for one, it sends the same message.
    private var ownMessages: [ConsensusMessage] = []
    /// Messages of heights above the current one, with their senders.
    private var future: [(message: ConsensusMessage, from: Peer)] = []
    /// Peers asked for the blocks this node misses since the last gossip.
    private var askedToCatchUp: Set<Peer> = []
    /// The height and how many of its messages this node had heard at the last gossip tick.
    private var heardAtLastGossip: (height: Height, count: Int)?

    /// A driver that has not started a height.
    public init(me: Address?, timeouts: ConsensusTimeouts) {
        self.me = me
        self.timeouts = timeouts
    }

    /// The height being decided.
    public var height: Height { (self.core?.height ?? 0) + 1 }

    /// The decided block of the current height with every precommit gathered so far, executed; `nil` until the
    /// machine decides.
    public var decision: (executed: ExecutedBlock, commit: Commit)? {
        guard let decision = self.machine?.decision, let executed = self.executed[decision.block.hash] else { return nil }
        return (executed, decision.commit)
    }

    // MARK: - Heights

    /// Starts deciding the height after `core`'s: a new machine, then the messages this node signed at that
    /// height before a restart (its write-ahead log, so that it returns to where it was) and those buffered for it.
    public mutating func startHeight(on core: ChainCore, ownMessages: [ConsensusMessage] = []) -> [Output] {
        self.core = core
        var machine = TendermintMachine(
            chainID: core.chainID, height: core.height + 1, validators: core.validatorSet, me: self.me,
            timeouts: self.timeouts)
        let actions = machine.start()
        self.machine = machine
        self.executed = [:]
        self.heard = []
        self.heardSignatures = []
        self.askedToCatchUp = []
        self.ownMessages = ownMessages.filter { $0.height == self.height }
        var outputs = self.perform(actions)
        for message in self.ownMessages { outputs += self.deliver(message, from: nil) }
        let buffered = self.future
        self.future = buffered.filter { $0.message.height > self.height }
        for entry in buffered where entry.message.height == self.height {
            outputs += self.receive(entry.message, from: entry.from)
        }
        return outputs
    }

    // MARK: - Events

    /// A message from a peer.
    public mutating func receive(_ message: ConsensusMessage, from peer: Peer) -> [Output] {
        if case .catchUp(let height) = message {
            return height <= self.height - 1 ? [.sendDecidedBlocks(from: height, to: peer)] : []
        }
        guard message.height <= self.height else {
            self.buffer(message, from: peer)
            guard self.askedToCatchUp.insert(peer).inserted else { return [] }
            return [.send(.catchUp(from: self.height), to: peer)]
        }
        guard message.height == self.height else { return [] }
        if case .decided(let block, let commit) = message {
            guard let core = self.core, self.machine != nil else { return [] }
            do {
                try commit.verify(chainID: core.chainID, height: self.height, blockHash: block.hash, validatorSet: core.validatorSet)
            } catch {
                return [.misbehaving(peer, reason: "decided block \(self.height) without a valid commit: \(error)")]
            }
            guard let executed = self.validated(block) else {
                return [.misbehaving(peer, reason: "decided block \(self.height) is not valid on this chain")]
            }
            self.machine = nil
            return [.apply(executed, commit)]
        }
        return self.deliver(message, from: peer)
    }

    /// A timeout the host scheduled has passed.
    public mutating func timeout(_ timeout: ConsensusTimeout) -> [Output] {
        guard let actions = self.machine?.timeout(timeout) else { return [] }
        return self.perform(actions)
    }

    /// The block the host built after ``Output/buildProposal(height:)``, executed.
    public mutating func proposalBuilt(_ proposed: ExecutedBlock) -> [Output] {
        guard proposed.block.header.height == self.height, let actions = self.machine?.proposalBuilt(proposed.block)
        else { return [] }
        self.executed[proposed.block.hash] = proposed
        return self.perform(actions)
    }

    /// A message the host signed after ``Output/sign(_:)``: this node hears it and every peer is sent it.
    public mutating func signed(_ message: ConsensusMessage) -> [Output] {
        guard message.height == self.height else { return [] }
        self.ownMessages.append(message)
        return [.broadcast(message)] + self.deliver(message, from: nil)
    }

    /// Every vote heard at this height, to send again to every peer (peers that lost or missed them recover, and
    /// peers not linked to their signer hear them); the proposals too once a whole tick went by without a new
    /// message — while messages flow, sending every proposal again whole each tick cost a twentieth of the CPU
    /// under load. Also lets this node ask again for blocks it misses.
    public mutating func gossip() -> [Output] {
        self.askedToCatchUp = []
        let now = (height: self.height, count: self.heard.count)
        defer { self.heardAtLastGossip = now }
        let stalled = self.heardAtLastGossip.map { $0 == now } ?? false
        return self.heard.compactMap { message in
            if case .proposal = message, !stalled { return nil }
            return .broadcast(message)
        }
    }

    // MARK: - Inside

    /// Keeps a message of a height above the current one: decided blocks of any height (catch-up sends them in a
    /// row), proposals and votes of the next height only (those of later heights are of no use before their
    /// blocks), at most ``futureCapacity`` in all.
    private mutating func buffer(_ message: ConsensusMessage, from peer: Peer) {
        guard self.future.count < Self.futureCapacity else { return }
        if case .decided = message {
            self.future.append((message, peer))
        } else if message.height == self.height + 1 {
            self.future.append((message, peer))
        }
    }

    /// The most messages of later heights kept.
    static var futureCapacity: Int { 4_096 }

    /// Hands a proposal or vote of the current height to the machine, once, if it is authentic; only authentic
    /// ones are gossiped on. One that is not, from a peer (`nil`: this node), is that peer's misbehaviour.
    private mutating func deliver(_ message: ConsensusMessage, from peer: Peer?) -> [Output] {
        guard let machine = self.machine, let signature = message.signature, self.heardSignatures.insert(signature).inserted
        else { return [] }
        let isAuthentic =
            switch message {
            case .proposal(let signed): machine.isAuthentic(signed)
            case .vote(let signed): machine.isAuthentic(signed)
            case .decided, .catchUp, .transactions: false
            }
        guard isAuthentic else {
            return peer.map { [.misbehaving($0, reason: "a proposal or vote of height \(self.height) that its signer did not sign")] } ?? []
        }
        self.heard.append(message)
        switch message {
        case .proposal(let signed):
            // A new block names its proposer, who is paid for it; a block proposed again keeps its builder's name.
            let proposal = signed.proposal
            let isValid = self.validated(proposal.block) != nil
                && (proposal.validRound != nil || proposal.block.header.proposer == proposal.proposer)
            return self.perform(self.machine!.receive(authentic: signed, isValid: isValid))
        case .vote(let signed):
            return self.perform(self.machine!.receive(authentic: signed))
        case .decided, .catchUp, .transactions:
            return []
        }
    }

    /// `block` validated against the decided state, once per block.
    private mutating func validated(_ block: Block) -> ExecutedBlock? {
        if let executed = self.executed[block.hash] { return executed }
        guard let executed = try? self.core?.validate(block) else { return nil }
        self.executed[block.hash] = executed
        return executed
    }

    /// Turns the machine's actions into outputs; a proposal or vote this node signed before is sent again as it
    /// was, never signed anew.
    private mutating func perform(_ actions: [ConsensusAction]) -> [Output] {
        actions.map { action in
            switch action {
            case .buildProposal(let height, _): return .buildProposal(height: height)
            case .propose(let proposal): return self.signOrRepeat(.proposal(proposal))
            case .vote(let vote): return self.signOrRepeat(.vote(vote))
            case .scheduleTimeout(let timeout, let after): return .scheduleTimeout(timeout, after: after)
            case .decide(let block, _): return .decided(block)
            case .evidence(let evidence): return .evidence(evidence)
            }
        }
    }

    private func signOrRepeat(_ unsigned: Unsigned) -> Output {
        let earlier = self.ownMessages.first { message in
            switch (message, unsigned) {
            case (.proposal(let signed), .proposal(let proposal)): signed.proposal == proposal
            case (.vote(let signed), .vote(let vote)): signed.vote == vote
            default: false
            }
        }
        return earlier.map { .broadcast($0) } ?? .sign(unsigned)
    }
}
