// APITypes: an account in JSON, with an optional proof.

public import DeAICore
public import Ledger

/// An account at the latest committed height: its balance, nonce and bonded stake, and with `?prove=true` a proof
/// of it against the state root of that height's header.
///
/// An unknown address is an empty account (balance and nonce 0), and its proof is a proof of absence.
public struct AccountView: Codable, Sendable, Hashable {
    /// The account's address.
    public var address: Address
    /// Spendable tokens.
    public var balance: Amount
    /// The nonce its next transaction must carry (transactions waiting in the mempool are not counted).
    public var nonce: UInt64
    /// The nonce a new transaction from this account should carry: ``nonce`` plus its transactions waiting in the
    /// mempool (not part of the proof).
    public var nextNonce: UInt64
    /// Tokens bonded: its self-stake as a validator plus its delegations.
    public var bondedStake: Amount
    /// The committed height the values are read at.
    public var height: Height
    /// The proof, when asked for.
    public var proof: AccountProofView?

    private enum CodingKeys: String, CodingKey {
        case address, balance, nonce, height, proof, bondedStake = "bonded_stake", nextNonce = "next_nonce"
    }

    /// The view of `address`'s account in `state` at `height`, with `proof` when given.
    public init(address: Address, state: LedgerState, height: Height, nextNonce: UInt64, proof: AccountProofView?) {
        let account = state.account(address)
        self.address = address
        self.balance = account.balance
        self.nonce = account.nonce
        self.nextNonce = max(nextNonce, account.nonce)
        self.bondedStake = state.bondedStake(of: address)
        self.height = height
        self.proof = proof
    }
}

/// A proof of an account against a block header.
///
/// To check it: rebuild the header (``HeaderView/header``), check that its hash is a block hash you trust, then
/// `try proof.stateProof.verify(against: header.stateRoot)`; the bytes it returns decode with
/// `Account(canonicalEncoding:)` and must equal the balance and nonce shown (`nil` means no account: both 0).
public struct AccountProofView: Codable, Sendable, Hashable {
    /// The state root the proof leads to.
    public var stateRoot: SHA256Digest
    /// The header holding ``stateRoot``; absent at height 0, where the root is the genesis state's.
    public var header: HeaderView?
    /// The hash of ``header``.
    public var blockHash: SHA256Digest?
    /// The Merkle proof of the account's entry, or of its absence.
    public var proof: StateProofView

    private enum CodingKeys: String, CodingKey {
        case header, proof, stateRoot = "state_root", blockHash = "block_hash"
    }

    /// A proof with every part given.
    public init(stateRoot: SHA256Digest, header: BlockHeader?, proof: StateProof) {
        self.stateRoot = stateRoot
        self.header = header.map(HeaderView.init)
        self.blockHash = header?.hash
        self.proof = StateProofView(proof)
    }
}
