// Deciding blocks with other validators: the chain hosts a ConsensusDriver — it signs, sends and commits for it.

import DeAICore
import Ledger
internal import Logging
internal import Storage

extension Chain {
    /// Starts deciding blocks with the validators reachable through `network`, by Tendermint rounds, from the
    /// height after the last committed block. The node votes when its key is in the validator set at that point,
    /// and otherwise follows: it validates, catches up and commits what the others decide.
    ///
    /// Drive it with ``handle(_:time:)``: every message that arrives, every timer it returns when due, and a
    /// ``ConsensusEvent/gossip`` now and then. ``produceBlock(time:)`` is for a validator that decides alone; a node
    /// runs one or the other.
    /// - Returns: the timers to run.
    public func startConsensus(network: any ConsensusNetwork, timeouts: ConsensusTimeouts) async throws -> [ConsensusTimer] {
        let member = self.validatorMember(in: self.core.validatorSet)
        self.driver = ConsensusDriver(me: member?.address, timeouts: timeouts)
        self.network = network
        self.logger.info(
            "consensus started",
            metadata: ["height": "\(self.core.height + 1)", "validator": "\(member.map { "\($0.address)" } ?? "none: following")"])
        return try await self.startHeight(time: 0)
    }

    /// Stops taking part in consensus; pending timers' events are then ignored.
    public func stopConsensus() {
        self.driver = nil
        self.network = nil
    }

    /// Handles one event of consensus and returns the timers it sets.
    /// - Parameter time: the node's clock in milliseconds since 1970 (read by the caller), the time of a block it
    ///   proposes now.
    /// - Throws: ``ConsensusError/halted(reason:)``, or the error that halts the chain: a decided block that cannot
    ///   be written, a signing record that cannot be saved.
    public func handle(_ event: ConsensusEvent, time: UInt64) async throws -> [ConsensusTimer] {
        if let haltReason { throw ConsensusError.halted(reason: haltReason) }
        guard var driver = self.driver else { return [] }
        if case .message(.transactions(let encodings), _) = event {
            // Admitted ones go on to the other peers; refused ones (already known, stale, invalid) stop here.
            await self.receiveRelayed(encodings: encodings)
            return []
        }
        let outputs: [ConsensusDriver<PeerID>.Output]
        switch event {
        case .message(let message, let sender):
            try self.refuseImpostor(message)
            outputs = driver.receive(message, from: sender)
        case .timeout(let timeout):
            outputs = driver.timeout(timeout)
        case .gossip:
            outputs = driver.gossip()
        case .commit(let height):
            self.driver = driver
            guard driver.height == height, let decision = driver.decision else { return [] }
            try await self.commit(decision.executed, by: decision.commit)
            return try await self.startHeight(time: time)
        }
        self.driver = driver
        let timers = try await self.perform(outputs, time: time)
        if case .gossip = event { self.noteConsensusShortfall() }
        return timers
    }

    // MARK: - Hosting the driver

    /// Starts the height after the committed block.
    private func startHeight(time: UInt64) async throws -> [ConsensusTimer] {
        guard var driver = self.driver else { return [] }
        let height = self.core.height + 1
        self.noteShortfall(nil)
        self.ownMessages.removeAll { $0.height < height }
        let outputs = driver.startHeight(on: self.core, ownMessages: self.ownMessages)
        self.driver = driver
        return try await self.perform(outputs, time: time)
    }

    /// Carries out the driver's outputs in order, and those they lead to.
    private func perform(_ outputs: [ConsensusDriver<PeerID>.Output], time: UInt64) async throws -> [ConsensusTimer] {
        var work = outputs
        var timers: [ConsensusTimer] = []
        var next = 0
        while next < work.count, self.driver != nil {
            let output = work[next]
            next += 1
            switch output {
            case .buildProposal(let height):
                guard height == self.core.height + 1, let me = self.driver?.me else { continue }
                let proposed = self.core.propose(
                    from: self.mempool.peek(max: self.configuration.maxBlockTransactions), time: time, proposer: me)
                self.mempool.discard(proposed.dropped.map(\.transaction))
                work += self.driver?.proposalBuilt(proposed.executed) ?? []
            case .sign(let unsigned):
                work += try self.sign(unsigned)
            case .broadcast(let message):
                self.network?.broadcast(message)
            case .send(let message, let peer):
                self.network?.send(message, to: peer)
            case .sendDecidedBlocks(let height, let peer):
                try await self.sendDecidedBlocks(from: height, to: peer)
            case .scheduleTimeout(let timeout, let delay):
                timers.append(ConsensusTimer(event: .timeout(timeout), delay: delay))
            case .decided(let block):
                self.logger.debug("block decided", metadata: ["block.height": "\(block.header.height)", "block.hash": "\(block.hash)"])
                timers.append(ConsensusTimer(event: .commit(height: block.header.height), delay: self.driver?.timeouts.commit ?? .zero))
            case .apply(let executed, let commit):
                try await self.commit(executed, by: commit)
                timers += try await self.startHeight(time: time)
            case .evidence(let evidence):
                self.report(evidence)
            case .misbehaving(let peer, let reason):
                self.logger.notice("a peer sent what no honest node sends", metadata: ["peer": "\(peer)", "reason": "\(reason)"])
                self.network?.disconnect(peer, misbehaving: reason)
            }
        }
        return timers
    }

    /// Signs a proposal or vote the driver asks for, if the signing record allows it and once the record is durable,
    /// and hands the signed message back to the driver.
    private func sign(_ unsigned: ConsensusDriver<PeerID>.Unsigned) throws -> [ConsensusDriver<PeerID>.Output] {
        guard let key = self.validatorKey else { return [] }
        let verdict: SigningRecord.Verdict
        let height: Height
        let record: (inout SigningRecord) -> Void
        let sign: () throws -> ConsensusMessage
        switch unsigned {
        case .proposal(let proposal):
            height = proposal.height
            verdict = self.signing.check(proposal)
            record = { $0.record(proposal) }
            sign = { .proposal(try SignedProposal(signing: proposal, with: key)) }
        case .vote(let vote):
            height = vote.height
            verdict = self.signing.check(vote)
            record = { $0.record(vote) }
            sign = { .vote(try SignedVote(signing: vote, with: key)) }
        }
        if case .refuse(let reason) = verdict {
            // Below the record's height is a node catching up (`--rebuild`); elsewhere a refusal is worth a look.
            let level: Logger.Level = height < self.signing.height ? .debug : .warning
            self.logger.log(level: level, "refused to sign", metadata: ["reason": "\(reason)"])
            return []
        }
        try self.recordSigning(record)
        let message = try sign()
        self.ownMessages.append(message)
        return self.driver?.signed(message) ?? []
    }

    /// Reports a double vote to the chain: a free `report_double_sign` transaction signed with this node's
    /// consensus key, into its mempool and its peers', so that the next proposal punishes the validator.
    private func report(_ evidence: DuplicateVoteEvidence) {
        self.logger.warning(
            "a validator signed two conflicting votes",
            metadata: ["validator": "\(evidence.validator)", "height": "\(evidence.first.vote.height)"])
        guard let key = self.validatorKey else { return }
        do {
            let body = TransactionBody(
                chainID: self.chainID, sender: key.verifyingKey, nonce: self.nextNonce(for: key.verifyingKey.address),
                fee: 0, payload: .reportDoubleSign(evidence))
            let report = VerifiedTransaction(try Transaction(signing: body, with: key))
            try self.admit(report)
            self.network?.broadcast(.transactions([report.encoding]))
        } catch {
            self.logger.notice("the double vote was not reported", metadata: ["reason": "\(error)"])
        }
    }

    /// Halts when a peer relays a proposal or vote that this node's validator key signed but this node did not: one
    /// beyond the last position its signing record holds, or at that position for another block. Another node
    /// runs with this validator's key (a copied home); two signers of one key double-sign and are slashed, so this
    /// one stops before it signs anything more and says why.
    private func refuseImpostor(_ message: ConsensusMessage) throws {
        guard let key = self.validatorKey, let me = self.driver?.me else { return }
        let position: (height: Height, round: UInt32, step: SigningRecord.Step)
        let verdict: SigningRecord.Verdict
        let isSignedByMe: () -> Bool
        switch message {
        case .vote(let signed) where signed.vote.validator == me:
            position = (signed.vote.height, signed.vote.round, SigningRecord.Step(signed.vote.kind))
            verdict = self.signing.check(signed.vote)
            isSignedByMe = { signed.isSigned(by: key.verifyingKey) }
        case .proposal(let signed) where signed.proposal.proposer == me:
            position = (signed.proposal.height, signed.proposal.round, .proposal)
            verdict = self.signing.check(signed.proposal)
            isSignedByMe = { signed.isSigned(by: key.verifyingKey) }
        default:
            return
        }
        // What the record allows to sign now was never signed; a refusal at the record's own position is another block.
        let atLast = (self.signing.height, self.signing.round, self.signing.step) == (position.height, position.round, position.step)
        switch verdict {
        case .sign: break
        case .refuse where atLast: break
        case .refuse, .repeatLast: return
        }
        // Checked last: peers relay this node's own messages back on every gossip tick, and those end above.
        guard isSignedByMe() else { return }
        let reason = "another node signs with this node's validator key (validator \(me)): it signed a message at height "
            + "\(position.height), round \(position.round) that this node never signed. Stop one of them: two signers of one key "
            + "double-sign and lose their stake"
        self.halt(because: reason)
        throw ConsensusError.halted(reason: reason)
    }

    /// Sends `peer` the committed blocks from `height` on with their commits, at most ``catchUpBatch`` at a time
    /// (it asks again for more).
    private func sendDecidedBlocks(from height: Height, to peer: PeerID) async throws {
        let last = min(self.core.height, height + Self.catchUpBatch - 1)
        guard height >= 1, height <= last else { return }
        for past in height...last {
            guard let block = try await self.database.block(at: past), let commit = try await self.database.commit(at: past)
            else { return }
            self.network?.send(.decided(block, commit), to: peer)
        }
    }

    /// The most decided blocks sent to a peer per request.
    static var catchUpBatch: UInt64 { 64 }

    /// At a gossip tick: when the machine has not moved since the tick before and waits for votes in its step,
    /// and the validators whose votes arrived hold no more than two thirds of the power, says who is missing (in
    /// ``status`` and once in the log) instead of looking merely idle.
    private func noteConsensusShortfall() {
        guard let driver = self.driver, let machine = driver.machine else { return }
        let position = ConsensusPosition(height: machine.height, round: machine.round, step: machine.step)
        defer { self.lastGossipPosition = position }
        guard position == self.lastGossipPosition, var present = machine.votersOfCurrentStep else { return }
        if let me = driver.me { present.insert(me) }
        self.noteShortfall(PowerShortfall(set: machine.validators, present: present))
    }
}

/// Where a node's consensus stands: height, round and step.
struct ConsensusPosition: Hashable {
    var height: Height
    var round: UInt32
    var step: TendermintMachine.Step
}
