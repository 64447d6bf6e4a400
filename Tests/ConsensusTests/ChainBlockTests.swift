// ConsensusTests: what goes into the blocks a chain produces — limits, dropped transactions, governance.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Storage
import Testing

struct ChainBlockTests {
    static func submitTransfers(
        _ chain: Chain,
        senders: ClosedRange<Int>,
        perSender: Int
    ) async throws -> [SHA256Digest] {
        var hashes: [SHA256Digest] = []
        for nonce in 0..<UInt64(perSender) {
            for sender in senders {
                let tx = ChainFixtures.transfer(from: sender, to: ChainFixtures.address(20), amount: 1, nonce: nonce)
                hashes.append(try await chain.submit(encoding: tx.canonicalEncoding))
            }
        }
        return hashes
    }

    @Test("the node's block size limit leaves the rest in the mempool for the next blocks")
    func configurationLimit() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory, configuration: ChainConfiguration(maxBlockTransactions: 5))
            let hashes = try await Self.submitTransfers(chain, senders: 1...4, perSender: 3)
            var sizes: [Int] = []
            for height in 1...3 as ClosedRange<Height> {
                sizes.append(try #require(try await chain.produceBlock(time: blockTime(height))).transactions.count)
            }
            #expect(sizes == [5, 5, 2])
            for hash in hashes { #expect(await chain.waitForReceipt(hash, timeout: .seconds(5))?.succeeded == true) }
            #expect(await chain.view.state.account(ChainFixtures.address(20)).balance == 12)
        }
    }

    @Test("the chain's max_block_transactions defers the rest, in each sender's order")
    func parameterLimit() async throws {
        try await withTemporaryDirectory { directory in
            var parameters = ChainParameters()
            parameters.maxBlockTransactions = 3
            let chain = try await openChain(in: directory, genesis: ChainFixtures.genesis(parameters: parameters))
            let hashes = try await Self.submitTransfers(chain, senders: 1...1, perSender: 7)
            var sizes: [Int] = []
            for height in 1...3 as ClosedRange<Height> {
                sizes.append(try #require(try await chain.produceBlock(time: blockTime(height))).transactions.count)
            }
            #expect(sizes == [3, 3, 1])
            for (index, hash) in hashes.enumerated() {
                let receipt = try #require(await chain.waitForReceipt(hash, timeout: .seconds(5)))
                #expect(receipt.succeeded)
                #expect(receipt.height == Height(index / 3 + 1))
            }
            #expect(await chain.status.mempoolTransactions == 0)
        }
    }

    @Test("a pending transaction that became invalid is dropped from the block and the mempool")
    func droppedAtBuild() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory)
            // Nonce 0 moves almost everything away; nonce 1's fee was payable at admission, not after nonce 0.
            let spend = ChainFixtures.transfer(
                from: 1,
                to: ChainFixtures.address(2),
                amount: ChainFixtures.balance - 2,
                nonce: 0,
                fee: 1
            )
            let late = ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 1, nonce: 1, fee: 5)
            let after = ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 1, nonce: 2, fee: 1)
            for tx in [spend, late, after] { _ = try await chain.submit(encoding: tx.canonicalEncoding) }
            let block = try #require(try await chain.produceBlock(time: blockTime(1)))
            #expect(block.transactions == [spend])
            #expect(await chain.status.mempoolTransactions == 0)
            #expect(await chain.waitForReceipt(late.hash, timeout: .milliseconds(50)) == nil)
            #expect(try await chain.database.transaction(late.hash) == nil)
            // The sender goes on from nonce 1.
            let next = ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 0, nonce: 1, fee: 1)
            _ = try await chain.submit(encoding: next.canonicalEncoding)
        }
    }

    @Test("a parameter change passed by vote takes effect at the end of its voting period, and survives a restart")
    func governance() async throws {
        try await withTemporaryDirectory { directory in
            var parameters = ChainParameters()
            parameters.votingPeriod = 3
            let genesis = ChainFixtures.genesis(parameters: parameters)
            var height: Height = 0
            do {
                let chain = try await openChain(in: directory, genesis: genesis)
                let content = ProposalContent.parameterChange(
                    title: "fee",
                    changes: [ParameterChange(name: "minimum_fee", value: 7)]
                )
                _ = try await chain.submit(
                    encoding: ChainFixtures.signed(.submitProposal(content: content, deposit: 1_000), from: 1, nonce: 0)
                        .canonicalEncoding
                )
                height += 1
                try await chain.produceBlock(time: blockTime(height))
                _ = try await chain.submit(
                    encoding: ChainFixtures.signed(
                        .vote(proposalID: 1, option: .yes),
                        from: ChainFixtures.validatorIndex,
                        nonce: 0
                    ).canonicalEncoding
                )
                height += 1
                try await chain.produceBlock(time: blockTime(height))
                height += 1
                try await chain.produceBlock(time: blockTime(height))
                #expect(await chain.view.state.parameters.minimumFee == 1)
                // A fee of 1 is still admitted before the end of the voting period.
                _ = try await chain.submit(
                    encoding: ChainFixtures.transfer(from: 2, to: ChainFixtures.address(3), amount: 1, nonce: 0)
                        .canonicalEncoding
                )
                height += 1
                try await chain.produceBlock(time: blockTime(height))
                let view = await chain.view
                #expect(view.state.proposals[1]?.status == .passed)
                #expect(view.state.parameters.minimumFee == 7)
            }
            let chain = try await openChain(in: directory, genesis: genesis)
            #expect(await chain.view.state.parameters.minimumFee == 7)
            let error = await #expect(throws: LedgerError.self) {
                _ = try await chain.submit(
                    encoding: ChainFixtures.transfer(from: 2, to: ChainFixtures.address(3), amount: 1, nonce: 1, fee: 6)
                        .canonicalEncoding
                )
            }
            #expect(error?.code == 108)
            _ = try await chain.submit(
                encoding: ChainFixtures.transfer(from: 2, to: ChainFixtures.address(3), amount: 1, nonce: 1, fee: 7)
                    .canonicalEncoding
            )
            let replayed = try await ChainReplay.replay(database: chain.database, genesis: genesis)
            #expect(replayed.height == height)
            #expect(replayed.stateRoot == (await chain.status.stateRoot))
        }
    }
}
