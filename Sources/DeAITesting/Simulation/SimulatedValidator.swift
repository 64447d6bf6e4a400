// SimulatedValidator: one validator of a simulation — what survives a crash, and what does not.

public import Consensus
public import DeAICore
public import Ledger

/// A message between simulated validators.
enum SimulatedMessage: Sendable {
    case proposal(SignedProposal)
    case vote(SignedVote)
    /// A decided block with its commit, sent to a validator that asked to catch up.
    case decided(Block, Commit)
    /// "Send me the decided blocks from this height on."
    case catchUp(from: Height)

    /// The signature of a proposal or vote: it names the signed message.
    var signature: Signature? {
        switch self {
        case .proposal(let signed): signed.signature
        case .vote(let signed): signed.signature
        case .decided, .catchUp: nil
        }
    }

    /// The height the message is about.
    var height: Height {
        switch self {
        case .proposal(let signed): signed.proposal.height
        case .vote(let signed): signed.vote.height
        case .decided(let block, _): block.header.height
        case .catchUp(let height): height
        }
    }
}

/// One validator of a ``ConsensusSimulation``: the real ``ChainCore`` and ``TendermintMachine``, driven by the
/// simulator instead of a network and a clock.
struct SimulatedValidator {
    /// Its index in the simulation.
    let index: Int
    /// Its operator address.
    let address: Address
    /// Its consensus key.
    let key: SigningKey
    /// Whether it equivocates.
    let isByzantine: Bool

    // Durable: what a crash leaves, as the database and the signing record file would.
    /// The decided chain.
    var core: ChainCore
    /// The decided blocks with their commits, by height, to send to validators that catch up.
    var history: [Height: (block: Block, commit: Commit)] = [:]
    /// What it signed last.
    var signing = SigningRecord()
    /// The proposals and votes it signed at the height being decided: asked again for one of them it sends the
    /// same signed message, and after a crash it hands them to its new machine, which so returns to where it was
    /// (the consensus write-ahead log of a real node).
    var signedThisHeight: [SimulatedMessage] = []

    // Volatile: lost in a crash.
    /// The consensus of the height being decided; `nil` while down.
    var machine: TendermintMachine?
    /// Blocks of the current height validated so far, by hash.
    var executed: [SHA256Digest: ExecutedBlock] = [:]
    /// Every proposal and vote of the current height it has seen, once each, which it gossips again from time to
    /// time.
    var seen: [SimulatedMessage] = []
    /// The signatures of ``seen``.
    var seenSignatures: Set<Signature> = []
    /// Messages for heights it has not reached.
    var future: [SimulatedMessage] = []
    /// The incarnation: timers of an earlier one are stale.
    var epoch = 0
    /// Whether it is running.
    var isUp = true

    /// The height being decided.
    var height: Height { self.core.height + 1 }

    /// Forgets everything volatile, as a crash does.
    mutating func crash() {
        self.machine = nil
        self.executed = [:]
        self.seen = []
        self.seenSignatures = []
        self.future = []
        self.epoch += 1
        self.isUp = false
    }
}
