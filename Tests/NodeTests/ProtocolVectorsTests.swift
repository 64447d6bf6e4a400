// Known-answer vectors of every byte layout a signature or hash covers: docs/protocol-vectors.json must be exactly
// what this code computes. Set DEAI_WRITE_VECTORS=1 to rewrite the file after a deliberate format change.

import APITypes
import Consensus
import DeAICore
import DeAITesting
import Foundation
import Ledger
import Node
import P2P
import Testing

@Suite("Protocol vectors")
struct ProtocolVectorsTests {
    static let file = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/protocol-vectors.json")

    /// A key with its seed, public key and address.
    struct KeyVector: Codable, Equatable {
        var seed: String
        var publicKey: String
        var address: String

        init(_ key: SigningKey) {
            self.seed = key.rawRepresentation.hexString
            self.publicKey = key.verifyingKey.rawRepresentation.hexString
            self.address = key.verifyingKey.address.description
        }

        enum CodingKeys: String, CodingKey {
            case seed, address
            case publicKey = "public_key"
        }
    }

    /// A transaction: its body, the bytes signed, the signature, the whole encoding and the hash.
    struct TransactionVector: Codable, Equatable {
        var description: String
        var body: String
        var signingBytes: String
        var signature: String
        var encoding: String
        var hash: String

        init(_ transaction: Transaction, description: String) {
            self.description = description
            self.body = transaction.body.canonicalEncoding.hexString
            self.signingBytes = transaction.body.signingBytes.hexString
            self.signature = transaction.signature.rawRepresentation.hexString
            self.encoding = transaction.canonicalEncoding.hexString
            self.hash = transaction.hash.description
        }

        enum CodingKeys: String, CodingKey {
            case description, body, signature, encoding, hash
            case signingBytes = "signing_bytes"
        }
    }

    /// A vote: its fields, the bytes signed and the signature by `signer`.
    struct VoteVector: Codable, Equatable {
        var kind: String
        var chainID: String
        var height: UInt64
        var round: UInt32
        var blockHash: String?
        var validator: String
        var signer: String
        var signingBytes: String
        var signature: String

        init(_ vote: Vote, key: SigningKey) throws {
            self.kind = vote.kind == .prevote ? "prevote" : "precommit"
            self.chainID = vote.chainID
            self.height = vote.height
            self.round = vote.round
            self.blockHash = vote.blockHash?.description
            self.validator = vote.validator.description
            self.signer = key.verifyingKey.rawRepresentation.hexString
            self.signingBytes = vote.signingBytes.hexString
            self.signature = try key.signature(for: vote.signingBytes).rawRepresentation.hexString
        }

        enum CodingKeys: String, CodingKey {
            case kind, height, round, validator, signer, signature
            case chainID = "chain_id", blockHash = "block_hash", signingBytes = "signing_bytes"
        }
    }

    /// A block: its header (as the API shows it), the header's encoding and hash, its transactions and receipts
    /// with their roots, and the commit that decided it with its encoding.
    struct BlockVector: Codable, Equatable {
        var header: HeaderView
        var headerEncoding: String
        var hash: String
        var transactions: [String]
        var transactionsRoot: String
        var receipts: [String]
        var receiptsRoot: String
        var commit: CommitView
        var commitEncoding: String

        enum CodingKeys: String, CodingKey {
            case header, hash, transactions, receipts, commit
            case headerEncoding = "header_encoding", transactionsRoot = "transactions_root"
            case receiptsRoot = "receipts_root", commitEncoding = "commit_encoding"
        }
    }

    /// Merkle roots of the leaves `"", "00", "0001", …` for 0 to 7 leaves (leaf *i* is the bytes 0 ..< i).
    struct MerkleVector: Codable, Equatable {
        var leaves: [String]
        var root: String
    }

    /// An account's state key and value, the leaf they make, and its proof against the state root after block 2.
    struct StateVector: Codable, Equatable {
        var address: String
        var key: String
        var value: String
        var leafHash: String
        var stateRoot: String
        var proof: StateProofView

        enum CodingKeys: String, CodingKey {
            case address, key, value, proof
            case leafHash = "leaf_hash", stateRoot = "state_root"
        }
    }

    /// A validator set: its members' encodings and its hash.
    struct ValidatorSetVector: Codable, Equatable {
        var members: [ValidatorSetView.MemberView]
        var memberEncodings: [String]
        var hash: String

        enum CodingKeys: String, CodingKey {
            case members, hash
            case memberEncodings = "member_encodings"
        }
    }

    /// The genesis hash of the fixture chain.
    struct GenesisVector: Codable, Equatable {
        var chainID: String
        var genesisTime: UInt64
        var stateRoot: String
        var hash: String

        enum CodingKeys: String, CodingKey {
            case hash
            case chainID = "chain_id", genesisTime = "genesis_time", stateRoot = "state_root"
        }
    }

    /// A proposal's signing bytes and signature.
    struct ProposalVector: Codable, Equatable {
        var height: UInt64
        var round: UInt32
        var validRound: UInt32?
        var blockHash: String
        var proposer: String
        var signingBytes: String
        var signature: String

        enum CodingKeys: String, CodingKey {
            case height, round, proposer, signature
            case validRound = "valid_round", blockHash = "block_hash", signingBytes = "signing_bytes"
        }
    }

    /// An encrypted key file and the passphrase that opens it (generated once: its salt and nonce are random).
    struct KeyFileVector: Codable, Equatable {
        var passphrase: String
        var seed: String
        var file: String
    }

    struct Vectors: Codable, Equatable {
        var keys: [String: KeyVector]
        var genesis: GenesisVector
        var transactions: [TransactionVector]
        var block: BlockVector
        var votes: [VoteVector]
        var proposal: ProposalVector
        var validatorSet: ValidatorSetVector
        var merkle: [MerkleVector]
        var state: StateVector
        var peerFrames: [FrameVector]
        var keyFile: KeyFileVector

        enum CodingKeys: String, CodingKey {
            case keys, genesis, transactions, block, votes, proposal, merkle, state
            case validatorSet = "validator_set", peerFrames = "peer_frames", keyFile = "key_file"
        }
    }

    /// A frame between peers (docs/PROTOCOL.md section 12), with its 4-byte length prefix.
    struct FrameVector: Codable, Equatable {
        var description: String
        var frame: String

        init(_ description: String, _ message: [UInt8]) {
            self.description = description
            self.frame = FrameReader.frame(message).hexString
        }
    }

    /// A frame of every kind peers exchange: the hello, then one message of each tag.
    static func peerFrames(
        genesis: Genesis, genesisHash: SHA256Digest, vote: Vote, transfer: Transaction
    ) throws -> [FrameVector] {
        let blob: [UInt8] = [1, 2, 3]
        let peer = PeerAddress(key: ChainFixtures.key(2).verifyingKey, host: "127.0.0.1", port: 26_656)
        let frames: [(String, PeerMessage)] = [
            ("tag 2: the prevote of the votes section, signed", .consensus(.vote(try SignedVote(signing: vote, with: ChainFixtures.consensusKey)))),
            ("tag 4: catch-up request from height 2", .consensus(.catchUp(from: 2))),
            ("tag 5: transactions, the first transaction of the transactions section", .consensus(.transactions([transfer.canonicalEncoding]))),
            ("tag 64: address request", .addressRequest),
            ("tag 65: addresses, bob's key at 127.0.0.1:26656", .addresses([peer])),
            ("tag 66: blob request for the blob 010203", .blobRequest(SHA256Digest(hashing: blob))),
            ("tag 67: the blob 010203", .blob(blob)),
            ("tag 68: blob 010203 missing", .blobMissing(SHA256Digest(hashing: blob))),
        ]
        let hello = PeerHello(chainID: genesis.chainID, genesisHash: genesisHash)
        return [FrameVector("hello: version 1, the fixture chain and its genesis hash", hello.canonicalEncoding)]
            + frames.map { FrameVector($0.0, $0.1.encoding) }
    }

    /// Every vector this code computes, from the fixture chain: two blocks, the second with two transactions.
    static func compute(keyFile: KeyFileVector) throws -> Vectors {
        let genesis = ChainFixtures.genesis()
        var producer = try TestBlockProducer(genesis: genesis)
        let alice = ChainFixtures.key(1)
        let first = ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 25, nonce: 0)
        _ = try producer.produce([first])
        let second = ChainFixtures.transfer(from: 1, to: ChainFixtures.address(3), amount: 7, nonce: 1, fee: 3, memo: "vector ✓")
        let stake = ChainFixtures.signed(.delegate(validator: ChainFixtures.validatorAddress, amount: 500), from: 2, nonce: 0)
        let produced = try producer.produce([second, stake])
        let block = produced.block
        let set = ValidatorSet(state: genesis.makeStateOrFail())
        let validator = ChainFixtures.validatorAddress
        let consensus = ChainFixtures.consensusKey
        let prevote = Vote(kind: .prevote, chainID: genesis.chainID, height: 2, round: 1, blockHash: nil, validator: validator)
        let precommit = produced.commit.vote(chainID: genesis.chainID, validator: validator)
        let proposal = BlockProposal(height: 2, round: 1, validRound: 0, block: block, proposer: validator)
        let account = StateKey.account(alice.verifyingKey.address)
        let accountValue = producer.state.account(alice.verifyingKey.address).canonicalEncoding
        return Vectors(
            keys: ["alice": KeyVector(alice), "bob": KeyVector(ChainFixtures.key(2)), "validator_consensus": KeyVector(consensus)],
            genesis: GenesisVector(
                chainID: genesis.chainID, genesisTime: genesis.genesisTime,
                stateRoot: StateCommitment(state: try genesis.makeState()).root.description, hash: producer.genesisHash.description),
            transactions: [
                TransactionVector(first, description: "transfer of 25 to address(2), nonce 0, fee 1, no memo"),
                TransactionVector(second, description: "transfer of 7 to address(3), nonce 1, fee 3, memo \"vector ✓\""),
                TransactionVector(stake, description: "delegate 500 to the validator, from address(2), nonce 0, fee 1"),
            ],
            block: BlockVector(
                header: HeaderView(block.header), headerEncoding: block.header.canonicalEncoding.hexString,
                hash: block.hash.description, transactions: produced.encodedTransactions.map(\.hexString),
                transactionsRoot: block.header.transactionsRoot.description,
                receipts: produced.receipts.map(\.committedEncoding.hexString),
                receiptsRoot: block.header.receiptsRoot.description, commit: CommitView(produced.commit),
                commitEncoding: produced.commit.canonicalEncoding.hexString),
            votes: [try VoteVector(prevote, key: consensus), try VoteVector(precommit, key: consensus)],
            proposal: ProposalVector(
                height: 2, round: 1, validRound: 0, blockHash: block.hash.description, proposer: validator.description,
                signingBytes: proposal.signingBytes.hexString,
                signature: try consensus.signature(for: proposal.signingBytes).rawRepresentation.hexString),
            validatorSet: ValidatorSetVector(
                members: ValidatorSetView(set, height: 1, since: 1, nextChange: nil).members,
                memberEncodings: set.members.map(\.canonicalEncoding.hexString), hash: set.hash.description),
            merkle: (0...7).map { count in
                let leaves = (0..<count).map { Array(UInt8(0)..<UInt8($0)) }
                return MerkleVector(leaves: leaves.map(\.hexString), root: MerkleTree.root(leaves: leaves).description)
            },
            state: StateVector(
                address: alice.verifyingKey.address.description, key: account.bytes.hexString,
                value: accountValue.hexString,
                leafHash: StateCommitment.leafHash(key: account.bytes, value: accountValue).description,
                stateRoot: block.header.stateRoot.description,
                proof: StateProofView(producer.commitment.proof(for: account))),
            peerFrames: try Self.peerFrames(genesis: genesis, genesisHash: producer.genesisHash, vote: prevote, transfer: first),
            keyFile: keyFile)
    }

    @Test("docs/protocol-vectors.json holds exactly what this code computes, and its key file opens")
    func vectorsMatch() throws {
        if ProcessInfo.processInfo.environment["DEAI_WRITE_VECTORS"] == "1" {
            let keyFile = try (try? JSONDecoder().decode(Vectors.self, from: Data(contentsOf: Self.file)))?.keyFile ?? Self.newKeyFile()
            try Self.encoder.encode(try Self.compute(keyFile: keyFile)).write(to: Self.file)
        }
        let stored = try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: Self.file))
        let computed = try Self.compute(keyFile: stored.keyFile)
        let changed = "changed: review docs/PROTOCOL.md, then rerun with DEAI_WRITE_VECTORS=1"
        #expect(computed.keys == stored.keys, "keys \(changed)")
        #expect(computed.genesis == stored.genesis, "the genesis \(changed)")
        #expect(computed.transactions == stored.transactions, "the transactions \(changed)")
        #expect(computed.block == stored.block, "the block \(changed)")
        #expect(computed.votes == stored.votes, "the votes \(changed)")
        #expect(computed.proposal == stored.proposal, "the proposal \(changed)")
        #expect(computed.validatorSet == stored.validatorSet, "the validator set \(changed)")
        #expect(computed.merkle == stored.merkle, "the Merkle roots \(changed)")
        #expect(computed.state == stored.state, "the state \(changed)")
        #expect(computed.peerFrames == stored.peerFrames, "the peer frames \(changed)")
        let keyFile = try KeyFile.decode(Data(stored.keyFile.file.utf8), path: "vector")
        let opened = try keyFile.signingKey(passphrase: stored.keyFile.passphrase, path: "vector")
        #expect(opened.rawRepresentation.hexString == stored.keyFile.seed)
    }

    /// An encrypted key file of test key 1: its salt and nonce are random, so it is made once and kept.
    private static func newKeyFile() throws -> KeyFileVector {
        let key = ChainFixtures.key(1)
        let passphrase = "correct horse battery staple"
        let file = try KeyFile(key: key, passphrase: passphrase, kdf: ScryptParameters(n: 1 << 10, r: 8, p: 1))
        let json = String(decoding: try Self.encoder.encode(file), as: UTF8.self)
        return KeyFileVector(passphrase: passphrase, seed: key.rawRepresentation.hexString, file: json)
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension Genesis {
    fileprivate func makeStateOrFail() -> LedgerState {
        do {
            return try self.makeState()
        } catch {
            preconditionFailure("the fixture genesis is valid: \(error)")
        }
    }
}
