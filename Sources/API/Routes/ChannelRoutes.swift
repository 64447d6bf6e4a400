// API: payment channels, inference servers and contributors' inference earnings.

import APITypes
import Consensus
import DeAICore
import Hummingbird
import Ledger

/// Reading what paid inference put on chain: `GET /v1/channels/{id}[?prove=true]`,
/// `GET /v1/accounts/{address}/channels`, `GET /v1/servers/{address}` and
/// `GET /v1/accounts/{address}/inference_earnings`.
struct ChannelRoutes {
    let chain: Chain

    func register(on router: Router<APIRequestContext>) {
        router.get("/v1/channels/:id") { request, context in
            let prove = try request.flag("prove")
            let id = try context.pathParameter("id", expected: "a channel identifier (1, 2, …)") { UInt64($0) }
            let view = await self.chain.view
            guard let channel = view.state.channels[id] else {
                let next = view.state.globals.nextChannelID
                throw APIError(.notFound, "there is no payment channel \(id); channels so far are 1 to \(next - 1)")
            }
            var body = ChannelView(channel, height: view.height)
            body.proof = view.entryProof(.channel(id: id), if: prove)
            return try JSONResponse.make(body)
        }
        router.get("/v1/accounts/:address/channels") { _, context in
            let address = try context.addressParameter("address")
            return try JSONResponse.make(ChannelsView(of: address, in: await self.chain.view.state))
        }
        router.get("/v1/servers/:address") { _, context in
            let address = try context.addressParameter("address")
            return try JSONResponse.make(ServerView(address, in: await self.chain.view.state))
        }
        router.get("/v1/accounts/:address/inference_earnings") { _, context in
            let address = try context.addressParameter("address")
            return try JSONResponse.make(InferenceEarningsView(of: address, in: await self.chain.view.state))
        }
    }
}
