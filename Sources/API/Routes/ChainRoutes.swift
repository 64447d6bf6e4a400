// API: GET /v1/validators, /v1/params and /v1/status.

import APITypes
import Consensus
import Hummingbird
import Ledger

/// Reading the validator set, the parameters and the node's status.
struct ChainRoutes {
    let chain: Chain

    func register(on router: Router<APIRequestContext>) {
        router.get("/v1/validators") { _, _ in
            let view = await self.chain.view
            return try JSONResponse.make(ValidatorsView(state: view.state, height: view.height))
        }
        router.get("/v1/params") { _, _ in
            let view = await self.chain.view
            return try JSONResponse.make(ParametersView(parameters: view.state.parameters, height: view.height))
        }
        router.get("/v1/status") { _, _ in
            try JSONResponse.make(StatusView(await self.chain.status))
        }
    }
}
