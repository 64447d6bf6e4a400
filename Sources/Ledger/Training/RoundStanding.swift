// RoundStanding: one member's part in a round, without the rest of the round.

public import DeAICore

/// Where one member stands in a round: whether it was selected and what the chain has recorded of it so far.
///
/// This is what a participant checks before it acts in a phase. Reading it costs the same with ten participants or
/// ten thousand, where reading the whole round (``TrainingRound``) grows with all of them.
public struct RoundStanding: Sendable, Hashable, Codable {
    /// The task.
    public var taskID: UInt64
    /// The round number.
    public var round: UInt32
    /// The member.
    public var member: Address
    /// The model the round trains from.
    public var baseModel: SHA256Digest
    /// Whether the member was selected to train in the round.
    public var selected: Bool
    /// Whether it committed to an update.
    public var updateCommitted: Bool
    /// Whether its revealed update was kept.
    public var updateRevealed: Bool
    /// Whether its revealed update repeated one already revealed in the task (kept out, unpaid).
    public var copied: Bool
    /// Whether it committed to scores.
    public var scoresCommitted: Bool
    /// Whether its revealed scores were kept.
    public var scoresRevealed: Bool
    /// Whether it attested the round's aggregate.
    public var attested: Bool
    /// Whether it committed and did not reveal in time (and forfeited the reveal deposit).
    public var forfeited: Bool

    /// The API's JSON names (`GET /v1/tasks/{id}/rounds/{n}/members/{address}`).
    private enum CodingKeys: String, CodingKey {
        case round, selected, copied, attested, forfeited
        case taskID = "task_id", member = "address", baseModel = "base_model", updateCommitted = "update_committed"
        case updateRevealed = "update_revealed", scoresCommitted = "scores_committed"
        case scoresRevealed = "scores_revealed"
    }
}

extension TrainingRound {
    /// Where `member` stands in this round.
    /// - Complexity: O(n) in the round's participants, with no allocation.
    public func standing(of member: Address) -> RoundStanding {
        RoundStanding(
            taskID: self.taskID, round: self.number, member: member, baseModel: self.baseModel,
            selected: self.selected.contains(member),
            updateCommitted: self.updateCommitments.contains { $0.member == member },
            updateRevealed: self.updates.contains { $0.contributor == member },
            copied: self.copies.contains(member),
            scoresCommitted: self.scoreCommitments.contains { $0.member == member },
            scoresRevealed: self.scores.contains { $0.evaluator == member },
            attested: self.attestations.contains { $0.evaluator == member },
            forfeited: self.forfeited.contains(member))
    }
}
