// API: GET /v1/tasks, /v1/tasks/{id}, /v1/tasks/{id}/rounds/{n}, and a member's standing and receipt in a round.

import APITypes
import Consensus
import Hummingbird
import Ledger

/// Reading training tasks, their rounds, and each member's standing and receipt in a round, with proofs of their
/// state entries.
struct TaskRoutes {
    let chain: Chain

    func register(on router: Router<APIRequestContext>) {
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
            let prove = try request.flag("prove")
            let (task, round, view) = try await self.round(context: context)
            let proof = view.entryProof(.round(taskID: task.id, number: round.number), if: prove)
            return try JSONResponse.make(RoundView(round, height: view.height, proof: proof))
        }
        router.get("/v1/tasks/:id/rounds/:round/members/:address") { _, context in
            let address = try context.addressParameter("address")
            let (_, round, view) = try await self.round(context: context)
            return try JSONResponse.make(RoundStandingView(round.standing(of: address), height: view.height))
        }
        router.get("/v1/tasks/:id/rounds/:round/receipts/:address") { request, context in
            try await self.receipt(request, context: context)
        }
    }

    /// The task named by the `id` path parameter, and the view it was read from.
    /// - Throws: ``APIError/Code/badPath``, or ``APIError/Code/notFound`` naming the task.
    func task(context: APIRequestContext) async throws -> (TrainingTask, ChainView) {
        let id = try context.integerParameter("id", expected: "a task identifier (1, 2, …)")
        let view = await self.chain.view
        guard let task = view.state.tasks[id] else {
            let count = view.state.tasks.count
            let posted = count == 0 ? "none has" : "\(count) have"
            throw APIError(.notFound, "there is no training task \(id); \(posted) been posted")
        }
        return (task, view)
    }

    /// The round named by the `id` and `round` path parameters, its task, and the view they were read from.
    /// - Throws: ``APIError/Code/badPath``, or ``APIError/Code/notFound`` naming the task's current round.
    private func round(context: APIRequestContext) async throws -> (TrainingTask, TrainingRound, ChainView) {
        let number = try context.pathParameter("round", expected: "a round number (1, 2, …)") { UInt32($0) }
        let (task, view) = try await self.task(context: context)
        guard let round = view.state.rounds[task.id]?[number] else {
            let current = task.round == 0 ? "it is still enrolling" : "its current round is \(task.round)"
            throw APIError(.notFound, "training task \(task.id) has no round \(number); \(current)")
        }
        return (task, round, view)
    }

    /// `GET /v1/tasks/{id}/rounds/{round}/receipts/{address}[?prove=true]`: the member's receipt for the round.
    /// - Throws: ``APIError/Code/notInRound`` when the address took no part in the round.
    private func receipt(_ request: Request, context: APIRequestContext) async throws -> Response {
        let prove = try request.flag("prove")
        let address = try context.addressParameter("address")
        let (task, round, view) = try await self.round(context: context)
        let proof = view.entryProof(.round(taskID: task.id, number: round.number), if: prove)
        guard
            let receipt = RoundReceiptView(
                address: address, round: round, task: task, member: view.state.taskMembers[task.id]?[address],
                state: view.state, height: view.height, proof: proof)
        else {
            throw APIError(
                .notInRound,
                "\(address) took no part in round \(round.number) of training task \(task.id): it was not selected, "
                    + "and committed no update or scores")
        }
        return try JSONResponse.make(receipt)
    }
}
