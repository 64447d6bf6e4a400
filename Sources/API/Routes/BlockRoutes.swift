// API: GET /v1/blocks/{height|latest}.

import APITypes
import Consensus
import Hummingbird
import Ledger
import Storage

/// Reading committed blocks.
struct BlockRoutes {
    let chain: Chain

    func register(on router: Router<BasicRequestContext>) {
        router.get("/v1/blocks/:height") { _, context in
            try await self.block(context: context)
        }
    }

    /// `GET /v1/blocks/{height}` or `/v1/blocks/latest`: the block with its commit, or 404.
    private func block(context: BasicRequestContext) async throws -> Response {
        let database = self.chain.database
        let latest = try await database.latestHeight()
        let height: Height =
            if context.parameters.get("height") == "latest" {
                latest
            } else {
                try context.integerParameter("height", expected: "a block height (1, 2, …) or \"latest\"")
            }
        guard height > 0, let block = try await database.block(at: height) else {
            throw APIError(.notFound, "there is no block at height \(height); the latest is \(latest)")
        }
        return try JSONResponse.make(BlockView(block, commit: try await database.commit(at: height)))
    }
}
