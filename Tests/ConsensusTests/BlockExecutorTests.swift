// ConsensusTests: executing someone else's block checks every claim of its header.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Testing

struct BlockExecutorTests {
    static func chain() throws -> (genesis: TestBlockProducer, blocks: [TestBlockProducer.Produced]) {
        var producer = try TestBlockProducer(genesis: ChainFixtures.genesis())
        let genesis = producer
        let blocks = [
            try producer.produce([
                ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 10, nonce: 0),
                ChainFixtures.signed(
                    .delegate(validator: ChainFixtures.validatorAddress, amount: 1_000),
                    from: 3,
                    nonce: 0
                ),
            ]),
            try producer.produce([
                ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 10, nonce: 1),
                ChainFixtures.transfer(from: 2, to: ChainFixtures.address(1), amount: 10, nonce: 0),
            ]),
        ]
        return (genesis, blocks)
    }

    @Test("valid blocks execute to the producer's roots and receipts")
    func valid() throws {
        let (genesis, blocks) = try Self.chain()
        var state = genesis.state
        var commitment = genesis.commitment
        var previous = genesis.genesisHash
        for produced in blocks {
            let outcome = try BlockExecutor.execute(
                produced.block,
                previousHash: previous,
                on: &state,
                commitment: &commitment
            )
            #expect(outcome.receipts == produced.receipts)
            #expect(outcome.changes == produced.changes)
            #expect(commitment.root == produced.block.header.stateRoot)
            previous = produced.block.hash
        }
    }

    enum Tampering: String, Sendable, CaseIterable {
        case chainID, height, timeBeforePrevious, previousHash, validatorSetHash, proposer, transactionsRoot
        case droppedTransaction, stateRoot, receiptsRoot, badSignature, invalidTransaction
    }

    @Test(
        "a block whose header or transactions do not check is refused, and nothing changes",
        arguments: Tampering.allCases
    )
    func tampered(_ tampering: Tampering) throws {
        let (genesis, blocks) = try Self.chain()
        var state = genesis.state
        var commitment = genesis.commitment
        _ = try BlockExecutor.execute(
            blocks[0].block,
            previousHash: genesis.genesisHash,
            on: &state,
            commitment: &commitment
        )
        let entries = state.allEntries
        let root = commitment.root

        var block = blocks[1].block
        func refreshTransactionsRoot() {
            block.header.transactionsRoot = Block.transactionsRoot(of: block.transactions.map(\.canonicalEncoding))
        }
        var expectedCode: UInt16 = 302
        switch tampering {
        case .chainID: block.header.chainID = "deai-other"
        case .height: block.header.height = 3
        case .timeBeforePrevious: block.header.time = blocks[0].block.header.time - 1
        case .previousHash: block.header.previousBlockHash = genesis.genesisHash
        case .validatorSetHash: block.header.validatorSetHash = SHA256Digest(hashing: [1])
        case .proposer: block.header.proposer = ChainFixtures.address(1)
        case .transactionsRoot: block.header.transactionsRoot = SHA256Digest(hashing: [2])
        case .droppedTransaction: block.transactions.removeLast()
        case .stateRoot: block.header.stateRoot = SHA256Digest(hashing: [3])
        case .receiptsRoot: block.header.receiptsRoot = SHA256Digest(hashing: [4])
        case .badSignature:
            var bytes = block.transactions[0].signature.rawRepresentation
            bytes[9] ^= 0x04
            block.transactions[0].signature = try Signature(rawRepresentation: bytes)
            refreshTransactionsRoot()
        case .invalidTransaction:
            block.transactions[1] = ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 10, nonce: 1)
            refreshTransactionsRoot()
            expectedCode = 106
        }
        let error = #expect(throws: LedgerError.self) {
            try BlockExecutor.execute(block, previousHash: blocks[0].block.hash, on: &state, commitment: &commitment)
        }
        #expect(error?.code == expectedCode, "\(String(describing: error))")
        #expect(state.allEntries == entries)
        #expect(commitment.root == root)
    }
}
