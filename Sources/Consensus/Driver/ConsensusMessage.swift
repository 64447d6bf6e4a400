// ConsensusMessage: what validators' nodes send each other to decide blocks.

public import DeAICore
public import Ledger

/// A message of the consensus protocol between nodes: a round's signed proposal or vote, a decided block sent to a
/// node that fell behind, or a request for such blocks.
public enum ConsensusMessage: Sendable, Hashable {
    /// A signed proposal of a height and round.
    case proposal(SignedProposal)
    /// A signed prevote or precommit.
    case vote(SignedVote)
    /// A decided block with the commit that decided it, sent to a node that asked to catch up.
    case decided(Block, Commit)
    /// "Send me the decided blocks from this height on."
    case catchUp(from: Height)

    /// The signature of a proposal or vote, which names the signed message; `nil` for the others.
    public var signature: Signature? {
        switch self {
        case .proposal(let signed): signed.signature
        case .vote(let signed): signed.signature
        case .decided, .catchUp: nil
        }
    }

    /// The height the message is about.
    public var height: Height {
        switch self {
        case .proposal(let signed): signed.proposal.height
        case .vote(let signed): signed.vote.height
        case .decided(let block, _): block.header.height
        case .catchUp(let height): height
        }
    }
}
