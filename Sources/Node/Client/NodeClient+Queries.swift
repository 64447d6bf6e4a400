// Node: the typed calls of NodeClient: chain reads, submissions, tasks, rounds and model versions.

public import APITypes
public import DeAICore
public import Ledger

extension NodeClient {
    // MARK: - Chain

    /// `GET /v1/status`: the node's view of its chain.
    public func status() async throws(NodeClientError) -> StatusView {
        try await self.get("/v1/status", as: StatusView.self)
    }

    /// `GET /v1/accounts/{address}[?prove=true]`: an account, with its proof when `prove` is set.
    public func account(_ address: Address, prove: Bool = false) async throws(NodeClientError) -> AccountView {
        try await self.get("/v1/accounts/\(address)", query: Self.proveQuery(prove), as: AccountView.self)
    }

    /// `GET /v1/params`: the chain parameters in force.
    public func parameters() async throws(NodeClientError) -> ParametersView {
        try await self.get("/v1/params", as: ParametersView.self)
    }

    /// `GET /v1/blocks/{height}`, or `/v1/blocks/latest` when `height` is `nil`.
    public func block(_ height: Height?) async throws(NodeClientError) -> BlockView {
        try await self.get("/v1/blocks/\(height.map(String.init) ?? "latest")", as: BlockView.self)
    }

    /// `GET /v1/validator_sets/{height}`: the validator set that signs block `height`.
    public func validatorSet(signing height: Height) async throws(NodeClientError) -> ValidatorSetView {
        try await self.get("/v1/validator_sets/\(height)", as: ValidatorSetView.self)
    }

    /// `GET /v1/txs/{hash}`: a committed transaction with its receipt (a 404 while it is not committed).
    public func transaction(_ hash: SHA256Digest) async throws(NodeClientError) -> TransactionView {
        try await self.get("/v1/txs/\(hash)", as: TransactionView.self)
    }

    /// `GET /v1/validators`.
    public func validators() async throws(NodeClientError) -> ValidatorsView {
        try await self.get("/v1/validators", as: ValidatorsView.self)
    }

    /// `GET /v1/proposals`.
    public func proposals() async throws(NodeClientError) -> ProposalsView {
        try await self.get("/v1/proposals", as: ProposalsView.self)
    }

    /// `GET /v1/proposals/{id}`.
    public func proposal(_ id: UInt64) async throws(NodeClientError) -> ProposalView {
        try await self.get("/v1/proposals/\(id)", as: ProposalView.self)
    }

    // MARK: - Submitting

    /// `POST /v1/txs`: submits one transaction.
    ///
    /// - Parameters:
    ///   - wait: Whether to wait for the transaction's receipt: the answer then has ``SubmitResult/receipt`` when
    ///     the transaction was committed within `waitTimeout`.
    ///   - waitTimeout: The longest wait, at most 60 seconds; `nil` leaves the node's default (10 seconds).
    /// - Returns: The hash, and the receipt when waited for and committed in time.
    /// - Throws: ``NodeClientError/apiError(request:status:code:name:message:)`` when the node refuses the
    ///   transaction (its code is the ledger's, such as 106 `nonce_already_used`).
    public func submit(
        _ transaction: Transaction, wait: Bool = false, waitTimeout: Duration? = nil
    ) async throws(NodeClientError) -> SubmitResult {
        try await self.post(
            "/v1/txs", query: Self.waitQuery(wait, waitTimeout),
            body: SubmitRequest(transaction: transaction.canonicalEncoding), as: SubmitResult.self
        )
    }

    /// `POST /v1/txs` with a batch of canonical encodings, admitted in order: one result per transaction, an
    /// error in place of a hash for each one refused.
    public func submitBatch(
        encodings: [[UInt8]], wait: Bool = false, waitTimeout: Duration? = nil
    ) async throws(NodeClientError) -> SubmitBatchResult {
        try await self.post(
            "/v1/txs", query: Self.waitQuery(wait, waitTimeout), body: SubmitRequest(transactions: encodings),
            as: SubmitBatchResult.self
        )
    }

    /// `POST /v1/txs` with a batch of transactions; see ``submitBatch(encodings:wait:waitTimeout:)``.
    public func submitBatch(
        _ transactions: [Transaction], wait: Bool = false, waitTimeout: Duration? = nil
    ) async throws(NodeClientError) -> SubmitBatchResult {
        try await self.submitBatch(
            encodings: transactions.map(\.canonicalEncoding), wait: wait, waitTimeout: waitTimeout
        )
    }

    // MARK: - Training

    /// `GET /v1/tasks`: every task, by identifier.
    public func tasks() async throws(NodeClientError) -> TasksView {
        try await self.get("/v1/tasks", as: TasksView.self)
    }

    /// `GET /v1/tasks/{id}[?prove=true]`: a task with its terms and members.
    public func task(_ id: UInt64, prove: Bool = false) async throws(NodeClientError) -> TaskView {
        try await self.get("/v1/tasks/\(id)", query: Self.proveQuery(prove), as: TaskView.self)
    }

    /// `GET /v1/tasks/{task}/rounds/{number}[?prove=true]`: a round's record.
    public func round(task: UInt64, number: UInt32, prove: Bool = false) async throws(NodeClientError) -> RoundView {
        try await self.get("/v1/tasks/\(task)/rounds/\(number)", query: Self.proveQuery(prove), as: RoundView.self)
    }

    /// `GET /v1/tasks/{task}/rounds/{number}/members/{address}`: where `member` stands in a round.
    public func roundStanding(
        task: UInt64, number: UInt32, member: Address
    ) async throws(NodeClientError) -> RoundStandingView {
        try await self.get("/v1/tasks/\(task)/rounds/\(number)/members/\(member)", as: RoundStandingView.self)
    }

    /// `GET /v1/tasks/{task}/models`: a task's model versions in order.
    public func modelVersions(task: UInt64) async throws(NodeClientError) -> ModelVersionsView {
        try await self.get("/v1/tasks/\(task)/models", as: ModelVersionsView.self)
    }

    /// `GET /v1/tasks/{task}/models/{version}[?prove=true]`: one version with its lineage.
    public func modelVersion(
        task: UInt64, version: UInt32, prove: Bool = false
    ) async throws(NodeClientError) -> ModelVersionView {
        try await self.get(
            "/v1/tasks/\(task)/models/\(version)", query: Self.proveQuery(prove), as: ModelVersionView.self
        )
    }

    /// `GET /v1/models/{hash}[?prove=true]`: the version whose weights have blob hash `model`, with its lineage.
    public func modelVersion(
        withModel model: SHA256Digest, prove: Bool = false
    ) async throws(NodeClientError) -> ModelVersionView {
        try await self.get("/v1/models/\(model)", query: Self.proveQuery(prove), as: ModelVersionView.self)
    }

    /// `GET /v1/state/{key}[?changed_from=HASH&timeout_ms=N]`: any state entry with its proof; with
    /// `changedFrom` (a `value_hash` seen before) the node answers once the entry changed or `timeout` passed.
    /// The answer travels as a binary ``API/StateEntryRecord``: participants read entries often.
    public func stateEntry(
        _ key: StateKey, changedFrom: SHA256Digest? = nil, timeout: Duration = .seconds(30)
    ) async throws(NodeClientError) -> StateEntryView {
        var query: [String: String] = [:]
        if let changedFrom {
            query = ["changed_from": changedFrom.hexString, "timeout_ms": String(timeout.components.seconds * 1_000)]
        }
        let request = try self.request(
            "GET", "/v1/state/\(key.bytes.hexString)", query: query, accept: StateEntryRecord.contentType)
        let body = try await self.perform(request)
        do {
            return StateEntryView(try StateEntryRecord(canonicalEncoding: [UInt8](body)))
        } catch {
            throw .invalidResponse(request: Self.describe(request), reason: "the state entry does not decode: \(error)")
        }
    }

    // MARK: - Queries

    private static func proveQuery(_ prove: Bool) -> [String: String] {
        prove ? ["prove": "true"] : [:]
    }

    private static func waitQuery(_ wait: Bool, _ timeout: Duration?) -> [String: String] {
        guard wait else { return [:] }
        var query = ["wait": "true"]
        if let timeout {
            query["wait_timeout_ms"] = String(timeout.milliseconds)
        }
        return query
    }
}
