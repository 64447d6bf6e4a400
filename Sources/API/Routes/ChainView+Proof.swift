// API: proofs of state entries, as the routes return them.

import APITypes
import Consensus
import Ledger

extension ChainView {
    /// The proof of the entry under `key` (or of its absence) against this view's state root and header.
    func entryProof(_ key: StateKey) -> AccountProofView {
        AccountProofView(stateRoot: self.commitment.root, header: self.header, proof: self.commitment.proof(for: key))
    }

    /// ``entryProof(_:)`` when `prove` is set, else `nil`.
    func entryProof(_ key: StateKey, if prove: Bool) -> AccountProofView? {
        prove ? self.entryProof(key) : nil
    }
}
