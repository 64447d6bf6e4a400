// StateRecordTarget: the committed state's entries, as a node reads them back from its database or a snapshot.

import DeAICore
import FuzzSupport
import Ledger

/// Feeds one state entry: the first byte is the key's length, then the key, then the value. The key must print back
/// as the same bytes; the value is decoded as the record its key names (round-tripped byte for byte), and the entry
/// is given to `LedgerState(chainID:entries:)`, the real reader of stored state.
enum StateRecordTarget: FuzzTarget {
    static func test(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let keyBytes = input.take(Int(input.takeByte()))
        let value = input.rest
        guard let key = try? StateKey(bytes: keyBytes) else { return }
        FuzzCheck.require(key.bytes == keyBytes, "a state key prints back differently")
        switch key {
        case .account: FuzzCheck.canonicalRoundTrip(Account.self, value)
        case .validator: FuzzCheck.canonicalRoundTrip(Validator.self, value)
        case .delegation: FuzzCheck.canonicalRoundTrip(UInt64.self, value)
        case .unbonding: FuzzCheck.canonicalRoundTrip(Unbonding.self, value)
        case .proposal: FuzzCheck.canonicalRoundTrip(Proposal.self, value)
        case .vote: break
        case .parameters: FuzzCheck.canonicalRoundTrip(ChainParameters.self, value)
        case .globals: FuzzCheck.canonicalRoundTrip(GlobalState.self, value)
        case .task: FuzzCheck.canonicalRoundTrip(TrainingTask.self, value)
        case .taskMember: FuzzCheck.canonicalRoundTrip(TaskMember.self, value)
        case .round: FuzzCheck.canonicalRoundTrip(TrainingRound.self, value)
        case .modelVersion: FuzzCheck.canonicalRoundTrip(ModelVersion.self, value)
        case .channel: FuzzCheck.canonicalRoundTrip(PaymentChannel.self, value)
        case .serverBond: FuzzCheck.canonicalRoundTrip(ServerBond.self, value)
        case .inferenceEarning: FuzzCheck.canonicalRoundTrip(UInt64.self, value)
        }
        guard let state = try? LedgerState(chainID: LedgerSamples.chainID, entries: [(key: keyBytes, value: value)]) else {
            return
        }
        let entry = state.allEntries.first { $0.key == keyBytes }
        FuzzCheck.require(entry?.value == value, "a stored entry reads back as other bytes")
    }

    static var seeds: [(name: String, bytes: [UInt8])] {
        let owner = FuzzSeeds.signingKey(1).verifyingKey
        let validator = FuzzSeeds.signingKey(2).verifyingKey.address
        let entries: [(String, StateKey, [UInt8])] = [
            ("account", .account(owner.address), Account(balance: 1_000, nonce: 3).canonicalEncoding),
            ("validator", .validator(owner.address),
                Validator(operatorAddress: owner.address, consensusKey: owner, moniker: "v", selfStake: 50).canonicalEncoding),
            ("delegation", .delegation(DelegationKey(delegator: owner.address, validator: validator)),
                UInt64(40).canonicalEncoding),
            ("unbonding", .unbonding(id: 1), Unbonding(owner: owner.address, validator: validator, amount: 5,
                startHeight: 10, completionHeight: 20).canonicalEncoding),
            ("vote", .vote(proposalID: 1, voter: owner.address), [VoteOption.yes.rawValue]),
            ("parameters", .parameters, ChainParameters().canonicalEncoding),
            ("globals", .globals, GlobalState().canonicalEncoding),
            ("task", .task(id: 1), TrainingTask(id: 1, sponsor: owner.address, spec: LedgerSamples.taskSpec,
                createdHeight: 4).canonicalEncoding),
            ("task-member", .taskMember(taskID: 1, member: owner.address),
                TaskMember(role: .evaluator, stake: 10, joinedHeight: 5, dataCommitment: FuzzSeeds.digest("data"))
                    .canonicalEncoding),
            ("model-version", .modelVersion(taskID: 1, version: 2), ModelVersion(
                taskID: 1, version: 2, round: 1, model: FuzzSeeds.digest("v2"), parent: FuzzSeeds.digest("v1"),
                height: 30, contributors: [owner.address, validator], metricBasisPoints: 9_000, attestedStake: 30,
                evaluatorStake: 40).canonicalEncoding),
        ]
        return entries.map { name, key, value in (name, [UInt8(key.bytes.count)] + key.bytes + value) }
    }
}
