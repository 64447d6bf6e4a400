// API: GET /v1/accounts/{address}[?prove=true].

import APITypes
import Consensus
import Hummingbird
import Ledger

/// Reading accounts, with proofs a client checks against a block header.
struct AccountRoutes {
    let chain: Chain

    func register(on router: Router<APIRequestContext>) {
        router.get("/v1/accounts/:address") { request, context in
            try await self.account(request, context: context)
        }
    }

    /// `GET /v1/accounts/{address}`: the account at the latest committed height, with its proof when asked.
    private func account(_ request: Request, context: APIRequestContext) async throws -> Response {
        let address = try context.addressParameter("address")
        let prove = try request.flag("prove")
        let view = await self.chain.view
        let nextNonce = await self.chain.nextNonce(for: address)
        let proof =
            prove
            ? AccountProofView(stateRoot: view.commitment.root, header: view.header, proof: view.accountProof(address))
            : nil
        return try JSONResponse.make(AccountView(address: address, state: view.state, height: view.height, nextNonce: nextNonce, proof: proof))
    }
}
