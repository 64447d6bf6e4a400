// SimulatedValidator: one validator of a simulation — what survives a crash, and what does not.

import Consensus
import DeAICore
import Ledger

/// One validator of a ``ConsensusSimulation``: the real ``ChainCore`` and ``ConsensusDriver`` (with its
/// ``TendermintMachine``), driven by the simulator instead of a network and a clock.
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
    /// The proposals and votes it signed at the height being decided, handed to its new driver after a crash
    /// (the consensus write-ahead log of a node).
    var ownMessages: [ConsensusMessage] = []

    // Volatile: lost in a crash.
    /// Its consensus; it has not started a height while down.
    var driver: ConsensusDriver<Int>
    /// Its reports of double votes, waiting for a block it proposes (its mempool).
    var evidence: [VerifiedTransaction] = []
    /// The incarnation: timers of an earlier one are stale.
    var epoch = 0
    /// Whether it is running.
    var isUp = true

    /// A running validator at `core`, before its first height.
    init(index: Int, address: Address, key: SigningKey, isByzantine: Bool, core: ChainCore, timeouts: ConsensusTimeouts) {
        self.index = index
        self.address = address
        self.key = key
        self.isByzantine = isByzantine
        self.core = core
        self.driver = ConsensusDriver(me: address, timeouts: timeouts)
    }

    /// The height being decided.
    var height: Height { self.core.height + 1 }

    /// Forgets everything volatile, as a crash does.
    mutating func crash() {
        self.driver = ConsensusDriver(me: self.address, timeouts: self.driver.timeouts)
        self.evidence = []
        self.epoch += 1
        self.isUp = false
    }
}
