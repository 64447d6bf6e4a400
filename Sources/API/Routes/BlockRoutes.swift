// API: GET /v1/blocks/{height|latest} and /v1/validator_sets/{height}.

import APITypes
import Consensus
import Hummingbird
import Ledger
import Storage

/// Reading committed blocks and the validator sets that signed them.
struct BlockRoutes {
    let chain: Chain

    func register(on router: Router<APIRequestContext>) {
        router.get("/v1/blocks/:height") { _, context in
            try await self.block(context: context)
        }
        router.get("/v1/validator_sets/:height") { _, context in
            try await self.validatorSet(context: context)
        }
    }

    /// `GET /v1/validator_sets/{height}`: the set that signs block `height` (up to the next block), since when, and
    /// the next height a new set signs from; 404 for a height without a set.
    private func validatorSet(context: APIRequestContext) async throws -> Response {
        let database = self.chain.database
        let height: Height = try context.integerParameter("height", expected: "a block height (1, 2, …)")
        let latest = try await database.latestHeight()
        guard height >= 1, height <= latest + 1, let signing = try await database.validatorSet(at: height) else {
            throw APIError(.notFound, "there is no validator set for block \(height); the latest block is \(latest)")
        }
        let nextChange = try await database.validatorSetChanges(after: height, limit: 1).first
        return try JSONResponse.make(ValidatorSetView(signing.set, height: height, since: signing.since, nextChange: nextChange))
    }

    /// `GET /v1/blocks/{height}` or `/v1/blocks/latest`: the block with its commit, or 404.
    private func block(context: APIRequestContext) async throws -> Response {
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
