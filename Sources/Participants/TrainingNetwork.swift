// What a participant needs from the network: chain state, blobs, and a way to send transactions.

public import DeAICore
public import Ledger

/// The network as a trainer or an evaluator sees it.
///
/// Participants never share memory with the chain or with each other: everything they learn comes through these
/// calls, and everything they do goes out as a signed transaction or a published blob. ``HTTPTrainingNetwork``
/// implements it over a node's HTTP API; tests may implement it over an in-memory chain.
public protocol TrainingNetwork: Sendable {
    /// The participant's own address (the sender of its transactions).
    var address: Address { get }

    /// The task `id` once its position (status, round, phase) differs from `position`, or as it is now when
    /// `position` is `nil`. Implementations wait (long-poll) rather than spin; after a timeout they return the
    /// task unchanged.
    func task(_ id: UInt64, after position: TaskPosition?) async throws -> TrainingTask

    /// Round `number` of task `taskID` as committed now.
    func round(taskID: UInt64, number: UInt32) async throws -> TrainingRound

    /// Where this participant stands in round `round` of task `taskID`: read at a cost that does not grow with
    /// the round's other participants. The default reads the whole round.
    func standing(taskID: UInt64, round: UInt32) async throws -> RoundStanding

    /// The blob with `hash`, verified against it.
    func fetchBlob(_ hash: SHA256Digest) async throws -> [UInt8]

    /// Publishes `bytes` as a blob where other participants can fetch it, and returns its hash.
    func publishBlob(_ bytes: [UInt8]) async throws -> SHA256Digest

    /// Signs `payload` with the participant's key and submits it; returns once a block holds it.
    /// - Throws: when it is refused, or its payload failed in the block.
    func send(_ payload: Payload) async throws

    /// The secret salt of the participant's commitment for `purpose` in a round: unpredictable to others, and
    /// the same after a restart (``Ledger/RoundCommitment/salt(secret:taskID:round:purpose:)``).
    func salt(taskID: UInt64, round: UInt32, purpose: String) -> [UInt8]

    /// The participant's key for sealed updates: what an evaluator registers when it joins, and opens updates with.
    /// Derived from its secret, so the same after a restart.
    var sealingKey: SealingKey { get }
}

extension TrainingNetwork {
    public func standing(taskID: UInt64, round: UInt32) async throws -> RoundStanding {
        try await self.round(taskID: taskID, number: round).standing(of: self.address)
    }
}

/// Where a task stands: what a participant waits to see change.
public struct TaskPosition: Sendable, Hashable, CustomStringConvertible {
    /// The task's status.
    public var status: TaskStatus
    /// The current round.
    public var round: UInt32
    /// The current phase.
    public var phase: RoundPhase

    /// The position of `task`.
    public init(_ task: TrainingTask) {
        self.status = task.status
        self.round = task.round
        self.phase = task.phase
    }

    /// A position with every field given.
    public init(status: TaskStatus, round: UInt32, phase: RoundPhase) {
        self.status = status
        self.round = round
        self.phase = phase
    }

    public var description: String { "\(self.status.rawValue) round \(self.round) \(self.phase.rawValue)" }
}
