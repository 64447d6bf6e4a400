// A trainer or evaluator role as a service beside a node: waits for its task and its membership, then works.

import APITypes
public import DeAICore
import Learning
public import Ledger
public import Logging
import Node
public import ServiceLifecycle

/// One training role of a node, run as a `Service` in the node's `ServiceGroup` (`deai start` makes one per
/// entry of `config.json`'s `roles`).
///
/// Driven by the chain: it waits for the node's API (``NodeEndpoint``), then for its task to be posted, then for
/// its key to be a member (joining with ``stake`` when one is given), and then runs a ``TrainerRole`` or an
/// ``EvaluatorRole`` through an ``HTTPTrainingNetwork`` on the node's own API until the task completes. It talks
/// to its node only as any participant would: signed transactions and blobs over HTTP.
///
/// A graceful shutdown cancels it. It throws when it cannot do its part (a data set that does not fit the task's
/// model, a join that fails, a node that refuses its submissions); the node logs that and keeps running.
public struct ParticipantService: Service, CustomStringConvertible {
    /// Trainer or evaluator.
    public let kind: TaskRole
    /// The task.
    public let taskID: UInt64
    /// The role's data: private training data, or held-out data for scoring.
    public let data: RoleData
    /// The stake to join with when the key is not a member yet; `nil` waits for someone to join it.
    public let stake: Amount?
    /// What the role commits to when it joins: the SHA-256 of its data file's bytes (as `deai task join --data`).
    public let dataCommitment: SHA256Digest
    /// The address that signs the role's transactions.
    public let address: Address
    let key: SigningKey
    let chainID: String
    private let blobDirectory: String
    private let endpoint: NodeEndpoint
    let logger: Logger

    /// A role of `kind` in task `taskID` signing with `key` on chain `chainID`, keeping its blobs in
    /// `blobDirectory` and reaching its node at `endpoint`.
    public init(
        kind: TaskRole, taskID: UInt64, data: RoleData, dataCommitment: SHA256Digest, key: SigningKey, stake: Amount?,
        chainID: String, blobDirectory: String, endpoint: NodeEndpoint, logger: Logger
    ) {
        self.dataCommitment = dataCommitment
        self.kind = kind
        self.taskID = taskID
        self.data = data
        self.stake = stake
        self.address = key.verifyingKey.address
        self.key = key
        self.chainID = chainID
        self.blobDirectory = blobDirectory
        self.endpoint = endpoint
        var logger = logger
        logger[metadataKey: "task.id"] = "\(taskID)"
        logger[metadataKey: "participant.role"] = "\(kind.rawValue)"
        logger[metadataKey: "participant.address"] = "\(key.verifyingKey.address)"
        self.logger = logger
    }

    /// The longest wait of one long-poll while the role waits for its task or its membership. Short, because a
    /// graceful shutdown waits for the requests in flight: the API stops only once its open long-polls have
    /// answered, and a cancelled client request is not always ended early (URLSession's was not), so each wait
    /// is bounded and cancellation is checked between them.
    static let pollTimeout: Duration = .seconds(5)

    /// `trainer of task 1 as deai1…`, for logs.
    public var description: String { "\(self.kind.rawValue) of task \(self.taskID) as \(self.address)" }

    /// Takes part in the task until it completes, or until a graceful shutdown.
    /// - Throws: ``Node/NodeError`` (`invalidConfiguration`) when the data or the key's membership does not fit
    ///   the task, ``ParticipantError`` or ``Node/NodeClientError`` when the node refuses or cannot be reached.
    public func run() async throws {
        try await cancelWhenGracefulShutdown { try await self.takePart() }
    }

    private func takePart() async throws {
        let url = try await self.endpoint.url()
        let client = try NodeClient(baseURL: url)
        let task = try await self.postedTask(client)
        guard task.status != .completed else {
            self.logger.debug("task already completed")
            return
        }
        let data = try self.fitted(to: task, schema: try await self.schema(of: task, client: client))
        guard try await self.enroll(in: task, client: client) else {
            self.logger.debug("task completed before the key joined")
            return
        }
        let network = try HTTPTrainingNetwork(
            nodeURL: url, key: self.key, chainID: self.chainID, blobDirectory: self.blobDirectory
        )
        self.logger.debug("taking part")
        switch self.kind {
        case .trainer:
            try await TrainerRole(taskID: self.taskID, data: data, logger: self.logger).run(on: network)
        case .evaluator:
            try await EvaluatorRole(taskID: self.taskID, validation: data, logger: self.logger).run(on: network)
        }
        self.logger.debug("task completed")
    }

    /// The task once it is posted, long-polling its state entry until then.
    private func postedTask(_ client: NodeClient) async throws -> TrainingTask {
        var seen: SHA256Digest?
        while true {
            try Task.checkCancellation()
            let entry = try await client.stateEntry(
                .task(id: self.taskID), changedFrom: seen, timeout: Self.pollTimeout
            )
            if let value = entry.value { return try TrainingTask(canonicalEncoding: value.bytes) }
            if seen == nil { self.logger.debug("waiting for the task to be posted") }
            seen = entry.valueHash
        }
    }

    /// The task's table schema, when its `data_schema` names one (``TaskDataSchema``).
    /// - Throws: ``Node/NodeClientError`` when the node cannot serve the blob; ``ParticipantError`` when it is not
    ///   a schema.
    private func schema(of task: TrainingTask, client: NodeClient) async throws -> TablePreparation? {
        guard let hash = task.spec.dataSchemaBlob else { return nil }
        // The sponsor publishes the schema once the task names it: a moment after the task is posted.
        var attempts = 0
        while true {
            do {
                return try TaskDataSchema.decode(try await client.getBlob(hash), hash: hash)
            } catch let error as NodeClientError where error.isNotFound && attempts < Self.schemaAttempts {
                if attempts == 0 { self.logger.debug("waiting for the task's schema blob", metadata: ["blob": "\(hash)"]) }
                attempts += 1
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// How many times the schema blob is asked for, half a second apart, before a role gives up: a minute.
    static let schemaAttempts = 120

    /// The role's data shaped as the task's model takes it, prepared by the task's schema when it has one.
    /// - Throws: ``Node/NodeError`` (`invalidConfiguration`) when the data does not fit the schema or the model.
    private func fitted(to task: TrainingTask, schema: TablePreparation?) throws -> Dataset {
        let prepared: RoleData.Prepared
        do {
            prepared = try self.data.prepared(schema: schema)
        } catch {
            let what = schema == nil ? " (the task publishes no table schema, so the file must be all numbers)" : ""
            throw NodeError(.invalidConfiguration, "\(self): \(error)\(what)")
        }
        let data = prepared.dataset
        self.logger.notice("data checked", metadata: [
            "data": "\(self.data.path)", "samples": "\(data.count)", "rows_left_out": "\(prepared.rowsLeftOut)",
            "missing_cells": "\(prepared.missingCells.sorted { $0.key < $1.key })",
            "class_counts": "\(prepared.classCounts.sorted { $0.key < $1.key })",
        ])
        let input = try TaskSettings(task.spec, taskID: self.taskID).model.inputShape
        let expected = input.reduce(1, *)
        let actual = data.sampleShape.reduce(1, *)
        guard actual == expected else {
            throw NodeError(
                .invalidConfiguration,
                "\(self): the task's model takes \(expected) features per sample, the role's data has \(actual) "
                    + "(the task's data schema: \(task.spec.dataSchema))"
            )
        }
        return data.sampleShape == input ? data : try data.reshaped(sampleShape: input)
    }
}
