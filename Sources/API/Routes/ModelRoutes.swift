// API: GET /v1/tasks/{id}/models, /v1/tasks/{id}/models/{version} and /v1/models/{hash}.

import APITypes
import Consensus
import DeAICore
import Hummingbird
import Ledger

/// Reading the model versions tasks agreed on, each with its lineage: the round that produced it.
struct ModelRoutes {
    let chain: Chain

    func register(on router: Router<APIRequestContext>) {
        let tasks = TaskRoutes(chain: self.chain)
        router.get("/v1/tasks/:id/models") { _, context in
            let (task, view) = try await tasks.task(context: context)
            return try JSONResponse.make(ModelVersionsView(task: task, state: view.state, height: view.height))
        }
        router.get("/v1/tasks/:id/models/:version") { request, context in
            let prove = try request.flag("prove")
            let number = try context.pathParameter("version", expected: "a model version (1, 2, …)") { UInt32($0) }
            let (task, view) = try await tasks.task(context: context)
            guard let version = view.state.modelVersions[task.id]?[number] else {
                throw APIError(.notFound, Self.noVersionMessage(number, of: task))
            }
            return try JSONResponse.make(Self.view(version, in: view, prove: prove))
        }
        router.get("/v1/models/:hash") { request, context in
            let prove = try request.flag("prove")
            let hash = try context.digestParameter("hash")
            let view = await self.chain.view
            guard let version = Self.version(withModel: hash, in: view.state) else {
                throw APIError(.notFound, Self.noModelMessage(hash, in: view.state))
            }
            return try JSONResponse.make(Self.view(version, in: view, prove: prove))
        }
    }

    /// One version with its lineage, and its proof when `prove` is set.
    private static func view(_ version: ModelVersion, in view: ChainView, prove: Bool) -> ModelVersionView {
        ModelVersionView(
            version,
            lineage: view.state.rounds[version.taskID]?[version.round],
            proof: view.entryProof(.modelVersion(taskID: version.taskID, version: version.version), if: prove)
        )
    }

    /// The version whose weights hash to `model`: the first by task, then version, should two tasks agree on
    /// the same weights.
    /// - Complexity: O(*n*) in the number of versions of all tasks.
    private static func version(withModel model: SHA256Digest, in state: LedgerState) -> ModelVersion? {
        var found: ModelVersion?
        for versions in state.modelVersions.values {
            for version in versions.values where version.model == model {
                if let best = found, (best.taskID, best.version) < (version.taskID, version.version) { continue }
                found = version
            }
        }
        return found
    }

    private static func noVersionMessage(_ number: UInt32, of task: TrainingTask) -> String {
        if number == 0 {
            return "version 0 of training task \(task.id) is its initial model \(task.spec.initialModel), which has no "
                + "version record; versions start at 1"
        }
        let latest = task.version == 0 ? "it has agreed on no version yet" : "its latest version is \(task.version)"
        return "training task \(task.id) has no model version \(number); \(latest)"
    }

    private static func noModelMessage(_ hash: SHA256Digest, in state: LedgerState) -> String {
        if let task = state.tasks.values.filter({ $0.spec.initialModel == hash }).min(by: { $0.id < $1.id }) {
            return "model \(hash) is the initial model of training task \(task.id) (version 0), not an agreed version"
        }
        return "no training task has agreed on a model version with hash \(hash)"
    }
}
