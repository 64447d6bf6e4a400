// LightClient: trusting a block header because the chain's validators signed it, not because a node served it.

public import APITypes
public import Ledger

/// Where a ``LightClient`` reads blocks and validator sets: a ``NodeClient``, or anything that serves the same
/// views. Nothing read is trusted before it is checked.
public protocol LightClientSource: Sendable {
    /// The block at `height` with its commit.
    func block(_ height: Height?) async throws(NodeClientError) -> BlockView
    /// The validator set that signs block `height`.
    func validatorSet(signing height: Height) async throws(NodeClientError) -> ValidatorSetView
}

extension NodeClient: LightClientSource {}

/// A client that accepts a block header only when more than two thirds of the voting power of the validators it
/// trusts signed it. It starts from the genesis validator set and follows each validator-set change: the header
/// before a change names the next set's hash and is itself signed by the trusted set, so the new set is trusted in
/// turn. A node that serves a forged header, a forged set, or hides a change is caught.
///
/// ```swift
/// var light = try LightClient(genesis: genesis)
/// let verified = try await light.verifyHeader(at: proof.height, from: client)
/// // verified.header.stateRoot is now safe to check state proofs against.
/// ```
public struct LightClient: Sendable {
    /// A header the client verified, with the evidence.
    public struct VerifiedHeader: Sendable {
        /// The header.
        public var header: BlockHeader
        /// The set that signed it.
        public var signers: ValidatorSet
        /// The power of the signatures in its commit.
        public var signedPower: Amount
        /// The validator-set changes followed from genesis to reach it.
        public var changesFollowed: Int
    }

    /// The chain.
    public let chainID: String
    /// The validator set trusted last, and the first block it signs.
    public private(set) var trusted: (since: Height, set: ValidatorSet)
    private var changesFollowed = 0

    /// A client that trusts the validators of `genesis`.
    /// - Throws: ``LedgerError`` for an invalid genesis.
    public init(genesis: Genesis) throws {
        self.chainID = genesis.chainID
        self.trusted = (1, ValidatorSet(state: try genesis.makeState()))
    }

    /// Verifies the header of block `height`, following every validator-set change from the trusted set up to it.
    /// - Throws: ``LightClientError`` saying what does not hold.
    public mutating func verifyHeader(
        at height: Height, from source: some LightClientSource
    ) async throws(LightClientError) -> VerifiedHeader {
        guard height >= self.trusted.since else {
            throw .wrongBlock(height: height, reason: "it is before the trusted height \(self.trusted.since)")
        }
        while let change = try await Self.read({ () async throws(NodeClientError) in
            try await source.validatorSet(signing: self.trusted.since).nextChange
        }), change > self.trusted.since, change <= height {
            try await self.follow(changeAt: change, from: source)
        }
        let (header, signedPower) = try await self.verifiedBlock(height, from: source)
        return VerifiedHeader(
            header: header, signers: self.trusted.set, signedPower: signedPower, changesFollowed: self.changesFollowed)
    }

    /// Trusts the set that signs from `change` on: block `change - 1`, signed by the trusted set, names its hash.
    private mutating func follow(changeAt change: Height, from source: some LightClientSource) async throws(LightClientError) {
        let (before, _) = try await self.verifiedBlock(change - 1, from: source)
        let next = try await Self.read { () async throws(NodeClientError) in try await source.validatorSet(signing: change) }
        guard next.validatorSet.hash == before.nextValidatorSetHash, next.since == change else {
            throw .validatorSetMismatch(height: change)
        }
        self.trusted = (change, next.validatorSet)
        self.changesFollowed += 1
    }

    /// The header of block `height`, once its commit shows that more than two thirds of the trusted set's power
    /// signed it, with the power that did.
    private func verifiedBlock(
        _ height: Height, from source: some LightClientSource
    ) async throws(LightClientError) -> (BlockHeader, Amount) {
        let block = try await Self.read { () async throws(NodeClientError) in try await source.block(height) }
        let header = block.header.header
        guard header.height == height, header.chainID == self.chainID else {
            throw .wrongBlock(height: height, reason: "it is block \(header.height) of chain \(header.chainID)")
        }
        guard header.validatorSetHash == self.trusted.set.hash else { throw .hiddenValidatorSetChange(height: height) }
        guard let commit = block.commit?.commit else { throw .notSigned(height: height, reason: "the node sent no commit") }
        do {
            try commit.verify(chainID: self.chainID, height: height, blockHash: header.hash, validatorSet: self.trusted.set)
        } catch {
            throw .notSigned(height: height, reason: "\(error)")
        }
        let signers = Set(commit.signatures.map(\.validator))
        let power = self.trusted.set.members.filter { signers.contains($0.address) }.reduce(Amount(0)) { $0 + $1.power }
        return (header, power)
    }

    private static func read<Value>(
        _ body: () async throws(NodeClientError) -> Value
    ) async throws(LightClientError) -> Value {
        do {
            return try await body()
        } catch {
            throw .unavailable(error)
        }
    }
}
