// ValidatorCrash: `deai devnet --crash-validator-at-round R` — a validator killed mid-training, and the participants
// it strands.

import Ledger
import Logging
import Participants
import Synchronization

/// Kills the last validator process as round ``round`` opens. The participants attached to it lose their node:
/// their roles end there (stranded, as behind a failed network), and the round closes at its phase deadline with
/// the rest, on the remaining validators, which hold more than two thirds of the voting power.
final class ValidatorCrash: Sendable {
    /// The round at whose opening the validator dies.
    let round: Int
    /// The validator killed: the last.
    let index: Int
    private let validators: DevnetValidators
    private let crashed = Mutex(false)

    /// The crash `options` asks for, if any and if `validators` can be killed one by one.
    init?(options: DevnetOptions, validators: DevnetValidators) {
        guard let round = options.crashValidatorAtRound, validators.crash != nil, validators.validators.count > 1 else { return nil }
        self.round = round
        self.index = validators.validators.count - 1
        self.validators = validators
    }

    /// Waits until the task's round ``round`` opens, then kills the validator and reports who it stranded.
    func run(
        taskID: UInt64, following sponsor: some TrainingNetwork, stranded: [String],
        progress: @Sendable (DevnetEvent) -> Void
    ) async throws {
        var task = try await sponsor.task(taskID, after: nil)
        while task.round < self.round, task.status != .completed {
            task = try await sponsor.task(taskID, after: TaskPosition(task))
        }
        self.crashed.withLock { $0 = true }
        self.validators.crash?(self.index)
        progress(.validatorCrashed(name: self.validators.validators[self.index].name, round: Int(task.round), stranded: stranded))
    }

    /// Runs a participant's role; once the validator it is attached to is dead, the role's failure is the
    /// participant being stranded, not the devnet failing.
    func run(
        _ role: @Sendable () async throws -> Void, attachedTo validator: Int, name: String, logger: Logger
    ) async throws {
        do {
            try await role()
        } catch where validator == self.index && self.crashed.withLock({ $0 }) {
            logger.notice("stranded by the crashed validator", metadata: ["participant": "\(name)", "reason": "\(error)"])
        }
    }
}
