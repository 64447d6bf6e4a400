// API: GET /v1/tasks, /v1/tasks/{id} and /v1/tasks/{id}/rounds/{n}.

import Consensus
import Hummingbird
import Ledger

/// Reading training tasks and their rounds, with proofs of their state entries.
struct TaskRoutes {
    let chain: Chain

    func register(on router: Router<BasicRequestContext>) {
        router.get("/v1/tasks") { _, _ in
            let view = await self.chain.view
            return try JSONResponse.make(TasksView(state: view.state, height: view.height))
        }
        router.get("/v1/tasks/:id") { request, context in
            let prove = try request.flag("prove")
            let (task, view) = try await self.task(context: context)
            return try JSONResponse.make(
                TaskView(
                    task, state: view.state, height: view.height, proof: view.entryProof(.task(id: task.id), if: prove)
                )
            )
        }
        router.get("/v1/tasks/:id/rounds/:round") { request, context in
            try await self.round(request, context: context)
        }
    }

    /// The task named by the `id` path parameter, and the view it was read from.
    /// - Throws: ``APIError/Code/badPath``, or ``APIError/Code/notFound`` naming the task.
    func task(context: BasicRequestContext) async throws -> (TrainingTask, ChainView) {
        let id = try context.integerParameter("id", expected: "a task identifier (1, 2, …)")
        let view = await self.chain.view
        guard let task = view.state.tasks[id] else {
            let count = view.state.tasks.count
            let posted = count == 0 ? "none has" : "\(count) have"
            throw APIError(.notFound, "there is no training task \(id); \(posted) been posted")
        }
        return (task, view)
    }

    /// `GET /v1/tasks/{id}/rounds/{round}[?prove=true]`: the round record, or 404.
    private func round(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let prove = try request.flag("prove")
        let number = try context.pathParameter("round", expected: "a round number (1, 2, …)") { UInt32($0) }
        let (task, view) = try await self.task(context: context)
        guard let round = view.state.rounds[task.id]?[number] else {
            let current = task.round == 0 ? "it is still enrolling" : "its current round is \(task.round)"
            throw APIError(.notFound, "training task \(task.id) has no round \(number); \(current)")
        }
        let proof = view.entryProof(.round(taskID: task.id, number: number), if: prove)
        return try JSONResponse.make(RoundView(round, height: view.height, proof: proof))
    }
}
