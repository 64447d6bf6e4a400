// ConsensusMessage: what validators' nodes send each other to decide blocks.

public import DeAICore
public import Ledger

/// A message between nodes: a round's signed proposal or vote, a decided block sent to a node that fell behind, a
/// request for such blocks, or transactions for the mempools.
public enum ConsensusMessage: Sendable, Hashable {
    /// A signed proposal of a height and round.
    case proposal(SignedProposal)
    /// A signed prevote or precommit.
    case vote(SignedVote)
    /// A decided block with the commit that decided it, sent to a node that asked to catch up.
    case decided(Block, Commit)
    /// "Send me the decided blocks from this height on."
    case catchUp(from: Height)
    /// Transactions a node admitted into its mempool, as canonical encodings, for every node to admit too: whoever
    /// proposes next includes them.
    case transactions([[UInt8]])

    /// The signature of a proposal or vote, which names the signed message; `nil` for the others.
    public var signature: Signature? {
        switch self {
        case .proposal(let signed): signed.signature
        case .vote(let signed): signed.signature
        case .decided, .catchUp, .transactions: nil
        }
    }

    /// The height the message is about (0 for transactions, which are about none).
    public var height: Height {
        switch self {
        case .proposal(let signed): signed.proposal.height
        case .vote(let signed): signed.vote.height
        case .decided(let block, _): block.header.height
        case .catchUp(let height): height
        case .transactions: 0
        }
    }
}
