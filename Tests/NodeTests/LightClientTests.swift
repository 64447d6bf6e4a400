// The light client: a header is trusted because the validators signed it; a node that forges or hides is caught.

import APITypes
import Consensus
import DeAICore
import DeAITesting
import Ledger
import Node
import Testing

@Suite("Light client")
struct LightClientTests {
    /// A node that lies: it serves what `blocks` and `sets` make of the honest answers.
    private struct LyingSource: LightClientSource {
        let honest: NodeClient
        var blocks: @Sendable (BlockView) -> BlockView = { $0 }
        var sets: @Sendable (ValidatorSetView) -> ValidatorSetView = { $0 }

        func block(_ height: Height?) async throws(NodeClientError) -> BlockView {
            self.blocks(try await self.honest.block(height))
        }

        func validatorSet(signing height: Height) async throws(NodeClientError) -> ValidatorSetView {
            self.sets(try await self.honest.validatorSet(signing: height))
        }
    }

    /// A chain of 6 blocks whose validator set changes at block 4 (a second validator joins in block 3), served
    /// over HTTP; `body` gets a client and the latest height.
    private static func withChangedSet(_ body: (NodeClient, Height) async throws -> Void) async throws {
        try await LiveChain.with { live in
            try await live.produceBlock()
            try await live.produceBlock()
            let join = live.transaction(
                .createValidator(
                    consensusKey: TestKeys.signingKey(7_777).verifyingKey, stake: 1_000, commissionBasisPoints: 0,
                    moniker: "newcomer"),
                from: 3)
            _ = try await live.chain.submit(encoding: join.canonicalEncoding)
            try await live.produceBlock()
            for _ in 0..<3 { try await live.produceBlock() }
            try await live.serving(blobStores: [nil]) { clients in try await body(clients[0], 6) }
        }
    }

    @Test("a header signed by the genesis validators, then by the set they handed over to, is verified")
    func followsValidatorSetChanges() async throws {
        try await Self.withChangedSet { client, latest in
            #expect(try await client.validatorSet(signing: 1).nextChange == 4)
            var light = try LightClient(genesis: ChainFixtures.genesis())
            let verified = try await light.verifyHeader(at: latest, from: client)
            #expect(verified.header.hash == (try await client.block(latest)).hash)
            #expect(verified.changesFollowed == 1)
            #expect(verified.signers.members.count == 2)
            #expect(verified.signedPower == ChainFixtures.validatorStake)
            #expect(verified.signedPower * 3 > verified.signers.totalPower * 2)
        }
    }

    @Test("a forged state root, a hidden validator-set change and a forged validator set are each refused")
    func catchesLies() async throws {
        try await Self.withChangedSet { client, latest in
            let forgedRoot = LyingSource(honest: client, blocks: { view in
                var view = view
                view.header.stateRoot = SHA256Digest(hashing: Array("what the liar wants proven".utf8))
                return view
            })
            let hidden = LyingSource(honest: client, sets: { view in
                var view = view
                view.nextChange = nil
                return view
            })
            let forgedSet = LyingSource(honest: client, sets: { view in
                var view = view
                view.members = view.members.map { member in
                    var member = member
                    member.consensusKey = TestKeys.signingKey(6_666).verifyingKey
                    return member
                }
                return view
            })
            var light = try LightClient(genesis: ChainFixtures.genesis())
            await #expect { _ = try await light.verifyHeader(at: latest, from: forgedRoot) } throws: { error in
                guard case LightClientError.notSigned(let height, _) = error else { return false }
                return height == 3
            }
            light = try LightClient(genesis: ChainFixtures.genesis())
            await #expect { _ = try await light.verifyHeader(at: latest, from: hidden) } throws: { error in
                guard case LightClientError.hiddenValidatorSetChange(let height) = error else { return false }
                return height == latest
            }
            light = try LightClient(genesis: ChainFixtures.genesis())
            await #expect { _ = try await light.verifyHeader(at: latest, from: forgedSet) } throws: { error in
                guard case LightClientError.validatorSetMismatch(let height) = error else { return false }
                return height == 4
            }
        }
    }
}
