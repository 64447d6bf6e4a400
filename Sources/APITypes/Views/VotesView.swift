// APITypes: the votes on a proposal in JSON.

public import DeAICore
public import Ledger

/// The votes cast on a proposal, each with its voter's current power, and their running tally.
///
/// Power is read now, at ``height``: the proposal is tallied with the power at the end of its voting period.
public struct VotesView: Codable, Sendable, Hashable {
    /// One vote.
    public struct VoteView: Codable, Sendable, Hashable {
        /// Who voted.
        public var voter: Address
        /// `yes`, `no`, `abstain` or `veto`.
        public var option: String
        /// The voter's bonded stake now.
        public var power: Amount
    }

    /// The proposal.
    public var proposalID: UInt64
    /// The committed height.
    public var height: Height
    /// The votes, by voter address.
    public var votes: [VoteView]
    /// The votes weighted by current power.
    public var tally: TallyView

    private enum CodingKeys: String, CodingKey {
        case height, votes, tally, proposalID = "proposal_id"
    }

    /// The votes on proposal `proposalID` in `state` at `height`.
    public init(proposalID: UInt64, state: LedgerState, height: Height) {
        var tally = TallyResult()
        self.votes = (state.votes[proposalID] ?? [:]).sorted { $0.key < $1.key }.map { voter, option in
            let power = state.bondedStake(of: voter)
            tally.add(power, for: option)
            return VoteView(voter: voter, option: option.name, power: power)
        }
        self.proposalID = proposalID
        self.height = height
        self.tally = TallyView(tally)
    }
}
