// Adds up the participants' compute time per round, so that a round's time splits into work and overhead.

import DeAICore
import Participants

/// The devnet's ``Participants/WorkObserver``: the wall-clock seconds of local training, scoring and aggregation,
/// summed over the participants of each round. Summed, not elapsed: participants work in parallel.
actor DevnetWorkMeter: WorkObserver {
    private var seconds: [UInt32: [ParticipantWork: Double]] = [:]

    func finished(_ work: ParticipantWork, taskID: UInt64, round: UInt32, duration: Duration) {
        self.seconds[round, default: [:]][work, default: 0] += duration.seconds
    }

    /// The seconds `work` took in `round`, summed over the participants.
    func total(_ work: ParticipantWork, round: UInt32) -> Double {
        self.seconds[round]?[work] ?? 0
    }
}
