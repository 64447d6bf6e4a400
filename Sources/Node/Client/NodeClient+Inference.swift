// Reading payment channels, server bonds and inference earnings.

public import APITypes
public import DeAICore
public import Ledger

extension NodeClient {
    /// `GET /v1/channels/{id}`: one payment channel.
    public func channel(_ id: UInt64) async throws(NodeClientError) -> ChannelView {
        try await self.get("/v1/channels/\(id)", as: ChannelView.self)
    }

    /// `GET /v1/accounts/{address}/channels`: the channels an account opened or serves.
    public func channels(of address: Address) async throws(NodeClientError) -> ChannelsView {
        try await self.get("/v1/accounts/\(address)/channels", as: ChannelsView.self)
    }

    /// `GET /v1/servers/{address}`: an inference server's bond.
    public func server(_ address: Address) async throws(NodeClientError) -> ServerView {
        try await self.get("/v1/servers/\(address)", as: ServerView.self)
    }

    /// `GET /v1/accounts/{address}/inference_earnings`: what inference paid a contributor, per model version.
    public func inferenceEarnings(of address: Address) async throws(NodeClientError) -> InferenceEarningsView {
        try await self.get("/v1/accounts/\(address)/inference_earnings", as: InferenceEarningsView.self)
    }
}

// MARK: - An inference server (`deai serve`)

extension NodeClient {
    /// `GET /v1/models` on an inference server: what it serves, at what price, as which account.
    public func servedModels() async throws(NodeClientError) -> ServedModelsView {
        try await self.get("/v1/models", as: ServedModelsView.self)
    }

    /// `POST /v1/models/{model}/predict` on an inference server, paid with `voucher` when given.
    public func predict(
        model: String, rows: [[Double]], voucher: ChannelVoucher?
    ) async throws(NodeClientError) -> PredictResponse {
        let headers = voucher.map { [VoucherHeader.name: VoucherHeader.value(of: $0)] } ?? [:]
        return try await self.post(
            "/v1/models/\(model)/predict", headers: headers, body: PredictRequest(inputs: rows), as: PredictResponse.self)
    }

    /// `GET /v1/channels/{id}/covered` on an inference server: the best cumulative amount it holds on the channel,
    /// `nil` when it took no voucher on it since it started.
    public func covered(channel id: UInt64) async throws(NodeClientError) -> Amount? {
        do {
            return try await self.get("/v1/channels/\(id)/covered", as: CoveredView.self).covered
        } catch where error.isNotFound {
            return nil
        }
    }
}
