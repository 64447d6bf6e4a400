// API: one member's standing in a round, in JSON.

public import DeAICore
public import Ledger

/// Where one member stands in a round (``Ledger/RoundStanding``): what a participant checks before it acts in a
/// phase, at a cost that does not grow with the round's other participants.
public struct RoundStandingView: Codable, Sendable, Hashable {
    /// The task.
    public var taskID: UInt64
    /// The round number.
    public var round: UInt32
    /// The member.
    public var address: Address
    /// The model the round trains from.
    public var baseModel: SHA256Digest
    /// Selected to train in the round.
    public var selected: Bool
    /// Committed to an update.
    public var updateCommitted: Bool
    /// Its revealed update was kept.
    public var updateRevealed: Bool
    /// Its revealed update repeated one already revealed in the task: kept out, unpaid.
    public var copied: Bool
    /// Committed to scores.
    public var scoresCommitted: Bool
    /// Its revealed scores were kept.
    public var scoresRevealed: Bool
    /// Attested the round's aggregate.
    public var attested: Bool
    /// Committed and did not reveal in time: forfeited the reveal deposit.
    public var forfeited: Bool
    /// The committed height the standing is read at.
    public var height: Height

    private enum CodingKeys: String, CodingKey {
        case round, address, selected, copied, attested, forfeited, height
        case taskID = "task_id", baseModel = "base_model", updateCommitted = "update_committed"
        case updateRevealed = "update_revealed", scoresCommitted = "scores_committed"
        case scoresRevealed = "scores_revealed"
    }

    /// The view of `standing`, read at `height`.
    public init(_ standing: RoundStanding, height: Height) {
        self.taskID = standing.taskID
        self.round = standing.round
        self.address = standing.member
        self.baseModel = standing.baseModel
        self.selected = standing.selected
        self.updateCommitted = standing.updateCommitted
        self.updateRevealed = standing.updateRevealed
        self.copied = standing.copied
        self.scoresCommitted = standing.scoresCommitted
        self.scoresRevealed = standing.scoresRevealed
        self.attested = standing.attested
        self.forfeited = standing.forfeited
        self.height = height
    }

    /// The standing this view shows.
    public var standing: RoundStanding {
        RoundStanding(
            taskID: self.taskID, round: self.round, member: self.address, baseModel: self.baseModel,
            selected: self.selected, updateCommitted: self.updateCommitted, updateRevealed: self.updateRevealed,
            copied: self.copied, scoresCommitted: self.scoresCommitted, scoresRevealed: self.scoresRevealed,
            attested: self.attested, forfeited: self.forfeited)
    }
}
