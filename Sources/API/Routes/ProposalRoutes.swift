// API: GET /v1/proposals, /v1/proposals/{id} and /v1/proposals/{id}/votes.

import APITypes
import Consensus
import Hummingbird
import Ledger

/// Reading governance proposals and their votes.
struct ProposalRoutes {
    let chain: Chain

    func register(on router: Router<APIRequestContext>) {
        router.get("/v1/proposals") { _, _ in
            let view = await self.chain.view
            return try JSONResponse.make(ProposalsView(state: view.state, height: view.height))
        }
        router.get("/v1/proposals/:id") { _, context in
            let (proposal, _) = try await self.proposal(context: context)
            return try JSONResponse.make(ProposalView(proposal))
        }
        router.get("/v1/proposals/:id/votes") { _, context in
            let (proposal, view) = try await self.proposal(context: context)
            return try JSONResponse.make(VotesView(proposalID: proposal.id, state: view.state, height: view.height))
        }
    }

    /// The proposal named by the `id` path parameter, and the view it was read from.
    /// - Throws: ``APIError/Code/badPath``, or `LedgerError.unknownProposal` (404).
    private func proposal(context: APIRequestContext) async throws -> (Proposal, ChainView) {
        let id = try context.integerParameter("id", expected: "a proposal identifier (1, 2, …)")
        let view = await self.chain.view
        guard let proposal = view.state.proposals[id] else { throw LedgerError.unknownProposal(id: id) }
        return (proposal, view)
    }
}
