// The whole state of the chain.

public import DeAICore

/// The state of the chain after the last applied block: accounts, validators, delegations, unbondings,
/// proposals and votes, parameters and chain-wide values, training tasks with their rounds and model versions,
/// and inference: payment channels, server bonds and contributors' inference earnings.
///
/// Reads are public. Writes happen only through the rules (``StateTransition``), each one marking its
/// ``StateKey`` as changed, so that storage writes exactly the changed entries and the commitment rehashes
/// exactly the changed leaves (``takeChanges()``).
///
/// Determinism: nothing here depends on dictionary order. Every walk over a collection that can affect the
/// result (rewards, tallies, unbonding maturity, encoding) sorts its keys first.
public struct LedgerState: Sendable {
    /// The chain this state belongs to.
    public let chainID: String
    /// The current parameters.
    public internal(set) var parameters: ChainParameters { didSet { self.changed.insert(.parameters) } }
    /// Treasury, supply, counters and the last applied height.
    public internal(set) var globals: GlobalState { didSet { self.changed.insert(.globals) } }
    /// Accounts by address.
    public private(set) var accounts: [Address: Account] = [:]
    /// Validators by operator address.
    public private(set) var validators: [Address: Validator] = [:]
    /// Delegated amounts by delegator and validator.
    public private(set) var delegations: [DelegationKey: Amount] = [:]
    /// Tokens on their way back, by entry identifier.
    public private(set) var unbondings: [UInt64: Unbonding] = [:]
    /// Proposals by identifier.
    public private(set) var proposals: [UInt64: Proposal] = [:]
    /// Votes by proposal, then voter.
    public private(set) var votes: [UInt64: [Address: VoteOption]] = [:]
    /// Training tasks by identifier.
    public private(set) var tasks: [UInt64: TrainingTask] = [:]
    /// Task members by task, then member address.
    public private(set) var taskMembers: [UInt64: [Address: TaskMember]] = [:]
    /// Training rounds by task, then round number.
    public private(set) var rounds: [UInt64: [UInt32: TrainingRound]] = [:]
    /// Model versions by task, then version number.
    public private(set) var modelVersions: [UInt64: [UInt32: ModelVersion]] = [:]
    /// Payment channels by identifier.
    public private(set) var channels: [UInt64: PaymentChannel] = [:]
    /// Inference servers' bonds by server address.
    public private(set) var serverBonds: [Address: ServerBond] = [:]
    /// What each contributor earned from inference, by task, model version and contributor.
    public private(set) var inferenceEarnings: [InferenceEarningKey: Amount] = [:]

    private var changed: Set<StateKey> = []

    /// An empty state of chain `chainID`, with `parameters`.
    public init(chainID: String, parameters: ChainParameters = ChainParameters()) {
        self.chainID = chainID
        self.parameters = parameters
        self.globals = GlobalState()
        self.changed = [.parameters, .globals]
    }

    /// The height of the last applied block.
    public var height: Height { self.globals.height }

    /// The account at `address`, or an empty one.
    public func account(_ address: Address) -> Account { self.accounts[address] ?? Account() }

    /// The amount `delegator` has delegated to `validator`.
    public func delegation(from delegator: Address, to validator: Address) -> Amount {
        self.delegations[DelegationKey(delegator: delegator, validator: validator)] ?? 0
    }

    /// An account's bonded stake: its self-stake as a validator plus everything it delegated.
    ///
    /// - Complexity: O(number of delegations). Governance tallies call it once per voter.
    public func bondedStake(of address: Address) -> Amount {
        var total = self.validators[address]?.selfStake ?? 0
        for (key, amount) in self.delegations where key.delegator == address { total &+= amount }
        return total
    }

    /// All bonded stake of the chain.
    public var totalBondedStake: Amount { self.validators.values.reduce(0) { $0 &+ $1.power } }

    // MARK: - Writes (rules only)

    mutating func setAccount(_ account: Account, for address: Address) {
        self.accounts[address] = account
        self.changed.insert(.account(address))
    }

    mutating func setValidator(_ validator: Validator?, for address: Address) {
        self.validators[address] = validator
        self.changed.insert(.validator(address))
    }

    mutating func setDelegation(_ amount: Amount, for key: DelegationKey) {
        self.delegations[key] = amount == 0 ? nil : amount
        self.changed.insert(.delegation(key))
    }

    mutating func setUnbonding(_ entry: Unbonding?, id: UInt64) {
        self.unbondings[id] = entry
        self.changed.insert(.unbonding(id: id))
    }

    mutating func setProposal(_ proposal: Proposal) {
        self.proposals[proposal.id] = proposal
        self.changed.insert(.proposal(id: proposal.id))
    }

    mutating func setVote(_ option: VoteOption, proposalID: UInt64, voter: Address) {
        self.votes[proposalID, default: [:]][voter] = option
        self.changed.insert(.vote(proposalID: proposalID, voter: voter))
    }

    mutating func setTask(_ task: TrainingTask) {
        self.tasks[task.id] = task
        self.changed.insert(.task(id: task.id))
    }

    mutating func setTaskMember(_ member: TaskMember, taskID: UInt64, address: Address) {
        self.taskMembers[taskID, default: [:]][address] = member
        self.changed.insert(.taskMember(taskID: taskID, member: address))
    }

    mutating func setRound(_ round: TrainingRound) {
        self.rounds[round.taskID, default: [:]][round.number] = round
        self.changed.insert(.round(taskID: round.taskID, number: round.number))
    }

    mutating func setModelVersion(_ version: ModelVersion) {
        self.modelVersions[version.taskID, default: [:]][version.version] = version
        self.changed.insert(.modelVersion(taskID: version.taskID, version: version.version))
    }

    mutating func setChannel(_ channel: PaymentChannel) {
        self.channels[channel.id] = channel
        self.changed.insert(.channel(id: channel.id))
    }

    mutating func setServerBond(_ bond: ServerBond, for server: Address) {
        self.serverBonds[server] = bond
        self.changed.insert(.serverBond(server))
    }

    mutating func setInferenceEarning(_ amount: Amount, for key: InferenceEarningKey) {
        self.inferenceEarnings[key] = amount == 0 ? nil : amount
        self.changed.insert(.inferenceEarning(key))
    }
}

// MARK: - Entries

/// One changed entry of the state: its key bytes and its new canonical value, or `nil` when deleted.
public struct StateChange: Sendable, Hashable {
    /// The frozen byte layout of the ``StateKey``.
    public var key: [UInt8]
    /// The canonical encoding of the new value; `nil` when the entry was deleted.
    public var value: [UInt8]?

    /// A change with every field given.
    public init(key: [UInt8], value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

extension LedgerState {
    /// The canonical encoding of the entry at `key`, or `nil` when there is none.
    public func encodedValue(for key: StateKey) -> [UInt8]? {
        switch key {
        case .account(let address): self.accounts[address]?.canonicalEncoding
        case .validator(let address): self.validators[address]?.canonicalEncoding
        case .delegation(let key): self.delegations[key]?.canonicalEncoding
        case .unbonding(let id): self.unbondings[id]?.canonicalEncoding
        case .proposal(let id): self.proposals[id]?.canonicalEncoding
        case .vote(let proposalID, let voter): self.votes[proposalID]?[voter].map { [$0.rawValue] }
        case .parameters: self.parameters.canonicalEncoding
        case .globals: self.globals.canonicalEncoding
        case .task(let id): self.tasks[id]?.canonicalEncoding
        case .taskMember(let taskID, let member): self.taskMembers[taskID]?[member]?.canonicalEncoding
        case .round(let taskID, let number): self.rounds[taskID]?[number]?.canonicalEncoding
        case .modelVersion(let taskID, let version): self.modelVersions[taskID]?[version]?.canonicalEncoding
        case .channel(let id): self.channels[id]?.canonicalEncoding
        case .serverBond(let address): self.serverBonds[address]?.canonicalEncoding
        case .inferenceEarning(let key): self.inferenceEarnings[key]?.canonicalEncoding
        }
    }

    /// Every entry changed since the last call, sorted by key, and forgets them.
    public mutating func takeChanges() -> [StateChange] {
        let changes = self.changed.map { StateChange(key: $0.bytes, value: self.encodedValue(for: $0)) }
        self.changed.removeAll(keepingCapacity: true)
        return changes.sorted { $0.key.lexicographicallyPrecedes($1.key) }
    }

    /// Every entry of the state, sorted by key.
    public var allEntries: [StateChange] {
        var keys: [StateKey] = [.parameters, .globals]
        keys += self.accounts.keys.map { .account($0) }
        keys += self.validators.keys.map { .validator($0) }
        keys += self.delegations.keys.map { .delegation($0) }
        keys += self.unbondings.keys.map { .unbonding(id: $0) }
        keys += self.proposals.keys.map { .proposal(id: $0) }
        for (proposalID, voters) in self.votes {
            keys += voters.keys.map { .vote(proposalID: proposalID, voter: $0) }
        }
        keys += self.tasks.keys.map { .task(id: $0) }
        for (taskID, members) in self.taskMembers {
            keys += members.keys.map { .taskMember(taskID: taskID, member: $0) }
        }
        for (taskID, rounds) in self.rounds {
            keys += rounds.keys.map { .round(taskID: taskID, number: $0) }
        }
        for (taskID, versions) in self.modelVersions {
            keys += versions.keys.map { .modelVersion(taskID: taskID, version: $0) }
        }
        keys += self.channels.keys.map { .channel(id: $0) }
        keys += self.serverBonds.keys.map { .serverBond($0) }
        keys += self.inferenceEarnings.keys.map { .inferenceEarning($0) }
        return keys.map { StateChange(key: $0.bytes, value: self.encodedValue(for: $0)) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
    }

    /// Rebuilds a state from its stored entries (as written from ``takeChanges()``).
    /// - Throws: ``CodecError`` when an entry does not decode: a corrupt or foreign database.
    public init(chainID: String, entries: some Sequence<(key: [UInt8], value: [UInt8])>) throws(CodecError) {
        self.init(chainID: chainID)
        for (keyBytes, value) in entries {
            switch try StateKey(bytes: keyBytes) {
            case .account(let address): self.accounts[address] = try Account(canonicalEncoding: value)
            case .validator(let address): self.validators[address] = try Validator(canonicalEncoding: value)
            case .delegation(let key): self.delegations[key] = try UInt64(canonicalEncoding: value)
            case .unbonding(let id): self.unbondings[id] = try Unbonding(canonicalEncoding: value)
            case .proposal(let id): self.proposals[id] = try Proposal(canonicalEncoding: value)
            case .vote(let proposalID, let voter):
                guard value.count == 1, let option = VoteOption(rawValue: value[0]) else {
                    throw .invalidValue(offset: 0, reason: "invalid stored vote")
                }
                self.votes[proposalID, default: [:]][voter] = option
            case .parameters: self.parameters = try ChainParameters(canonicalEncoding: value)
            case .globals: self.globals = try GlobalState(canonicalEncoding: value)
            case .task(let id): self.tasks[id] = try TrainingTask(canonicalEncoding: value)
            case .taskMember(let taskID, let member):
                self.taskMembers[taskID, default: [:]][member] = try TaskMember(canonicalEncoding: value)
            case .round(let taskID, let number):
                self.rounds[taskID, default: [:]][number] = try TrainingRound(canonicalEncoding: value)
            case .modelVersion(let taskID, let version):
                self.modelVersions[taskID, default: [:]][version] = try ModelVersion(canonicalEncoding: value)
            case .channel(let id): self.channels[id] = try PaymentChannel(canonicalEncoding: value)
            case .serverBond(let address): self.serverBonds[address] = try ServerBond(canonicalEncoding: value)
            case .inferenceEarning(let key): self.inferenceEarnings[key] = try UInt64(canonicalEncoding: value)
            }
        }
        self.changed.removeAll()
    }
}
