// Loading the model versions a server answers with, from the chain and its blobs.

import APITypes
import DeAICore
import Foundation
import Learning
import Ledger
public import Node

/// Reads model versions from a node: the version's weights hash and its task's architecture and schema on chain,
/// the weights and the schema from the blob exchange, each checked against its hash (``Ledger/ServedModel``).
public enum ModelLoading {
    /// The models `ids` (`TASK.VERSION`) from the node behind `client`.
    /// - Throws: ``ServingError/cannotLoadModel(id:reason:)`` naming the model and what failed.
    public static func load(_ ids: [String], from client: NodeClient) async throws(ServingError) -> [LoadedModel] {
        var models: [LoadedModel] = []
        for id in ids {
            guard let (taskID, version) = LoadedModel.parse(id) else {
                throw .cannotLoadModel(id: id, reason: "a model is named TASK.VERSION, such as 1.3")
            }
            do {
                let record = try await client.modelVersion(task: taskID, version: version)
                let task = try await client.task(taskID).spec.spec
                let weights = try await client.getBlob(record.model)
                let schema = try await TaskSpec.dataSchemaBlob(in: task.dataSchema).asyncMap { try await client.getBlob($0) }
                let served = try ServedModel(task: task, modelBlob: weights, expectedModel: record.model, schemaBlob: schema ?? [])
                models.append(LoadedModel(taskID: taskID, version: version, model: record.model, served: served))
            } catch {
                throw .cannotLoadModel(id: id, reason: "\(error)")
            }
        }
        return models
    }

    /// The model in a safetensors file written by `deai train`, named by the file's name without its extension;
    /// its receipts name task 0, version 0 and the file's SHA-256.
    /// - Throws: ``ServingError/cannotLoadModel(id:reason:)``.
    public static func loadFile(_ path: String) throws(ServingError) -> LoadedModel {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        do {
            guard let bytes = FileManager.default.contents(atPath: path) else {
                throw ServingError.cannotLoadModel(id: name, reason: "cannot read \(path)")
            }
            let trained = try TrainedModel.load(from: path)
            let network = try FixedOrderNetwork(spec: trained.model.spec, flatParameters: trained.model.flatParameters)
            return LoadedModel(
                taskID: 0, version: 0, model: SHA256Digest(hashing: [UInt8](bytes)),
                served: ServedModel(network: network, preparation: trained.preparation), name: name)
        } catch let error as ServingError {
            throw error
        } catch {
            throw .cannotLoadModel(id: name, reason: "\(error)")
        }
    }

    /// The latest version of every task that has one, as `TASK.VERSION`.
    /// - Throws: ``Node/NodeClientError`` when the node cannot be read.
    public static func latestVersions(from client: NodeClient) async throws(NodeClientError) -> [String] {
        try await client.tasks().tasks.filter { $0.version > 0 }.map { LoadedModel.id(taskID: $0.id, version: $0.version) }
    }
}

extension Optional {
    /// `transform` of the wrapped value, awaited; `nil` when there is none.
    fileprivate func asyncMap<Result>(_ transform: (Wrapped) async throws -> Result) async rethrows -> Result? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
