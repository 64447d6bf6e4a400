// API: the status view of a chain's status.

public import APITypes
public import Consensus

extension StatusView {
    /// The view of `status`.
    public init(_ status: ChainStatus) {
        self.init(
            chainID: status.chainID, height: status.height, latestBlockHash: status.latestBlockHash,
            latestBlockTime: status.latestBlockTime, stateRoot: status.stateRoot, genesisHash: status.genesisHash,
            mempoolTransactions: status.mempoolTransactions, mempoolBytes: status.mempoolBytes,
            validatorAddress: status.validatorAddress,
            waitingForPower: status.waitingForPower.map { shortfall in
                PowerShortfallView(
                    signingPower: shortfall.signingPower, totalPower: shortfall.totalPower,
                    absent: shortfall.absent.map { .init(address: $0.address, power: $0.power) })
            })
    }
}
