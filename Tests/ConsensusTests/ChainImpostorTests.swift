// Two nodes with one validator key: the one that hears a message its key signed but it did not stops signing.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Testing

struct ChainImpostorTests {
    @Test("a vote this node's validator key signed beyond anything this node signed halts it, naming the cause")
    func voteFromACopiedHomeHalts() async throws {
        try await withTemporaryDirectory { directory in
            let genesis = ChainFixtures.genesis(validators: 4)
            let key = ChainFixtures.consensusKey(ofValidator: 0)
            let chain = try await openChain(in: directory, genesis: genesis, validatorKey: key)
            _ = try await chain.startConsensus(network: InProcessNetwork().join(as: PeerID("me")), timeouts: .local)
            let me = ChainFixtures.operatorKey(ofValidator: 0).verifyingKey.address
            let vote = Vote(kind: .prevote, chainID: genesis.chainID, height: 1, round: 5, blockHash: nil, validator: me)

            await #expect {
                _ = try await chain.handle(.message(.vote(try SignedVote(signing: vote, with: key)), from: PeerID("peer")), time: 0)
            } throws: { error in
                "\(error)".contains("another node signs with this node's validator key")
            }
            await #expect(throws: ConsensusError.self) { _ = try await chain.handle(.gossip, time: 0) }
        }
    }

    @Test("a vote of another validator, or one this node signed itself, leaves it running")
    func ownAndOthersVotesAreFine() async throws {
        try await withTemporaryDirectory { directory in
            let genesis = ChainFixtures.genesis(validators: 4)
            let chain = try await openChain(in: directory, genesis: genesis, validatorKey: ChainFixtures.consensusKey(ofValidator: 0))
            _ = try await chain.startConsensus(network: InProcessNetwork().join(as: PeerID("me")), timeouts: .local)
            let other = ChainFixtures.operatorKey(ofValidator: 1).verifyingKey.address
            let vote = Vote(kind: .prevote, chainID: genesis.chainID, height: 1, round: 5, blockHash: nil, validator: other)
            let signed = try SignedVote(signing: vote, with: ChainFixtures.consensusKey(ofValidator: 1))
            _ = try await chain.handle(.message(.vote(signed), from: PeerID("peer")), time: 0)

            // No proposal in time: this node prevotes nil in round 0, and a peer sends that prevote back.
            let me = ChainFixtures.operatorKey(ofValidator: 0).verifyingKey.address
            _ = try await chain.handle(.timeout(ConsensusTimeout(height: 1, round: 0, step: .propose)), time: 0)
            let mine = Vote(kind: .prevote, chainID: genesis.chainID, height: 1, round: 0, blockHash: nil, validator: me)
            let echoed = try SignedVote(signing: mine, with: ChainFixtures.consensusKey(ofValidator: 0))
            _ = try await chain.handle(.message(.vote(echoed), from: PeerID("peer")), time: 0)
            _ = try await chain.handle(.gossip, time: 0)
        }
    }
}
