// A malicious data owner's behaviour, for the devnet to show that the network holds.

import DeAICore
public import Federation
import Ledger
import Participants

/// Makes a malicious update: trains (on label-flipped data for ``Attack/labelFlip``) and then forges its delta
/// with ``Federation/maliciousUpdate(attack:honest:othersVisible:seed:configuration:)``. A replaying free rider
/// waits until another owner's update is published this round and copies it.
struct AttackPolicy: UpdatePolicy {
    let attack: Attack

    func update(in context: UpdateContext, network: any TrainingNetwork) async throws -> LocalUpdate? {
        var configuration = context.settings.training
        configuration.seed = context.seed
        let honest = try trainLocalUpdate(
            spec: context.settings.model, global: context.global, data: self.attack.poison(context.data),
            configuration: configuration)
        var visible: [[Float]] = []
        if self.attack == .freeRiderReplay {
            guard let victim = try await self.firstOtherUpdate(in: context, network: network) else { return nil }
            visible = [try await ModelBlobs.vector(victim.blob, from: network)]
        }
        let delta = maliciousUpdate(attack: self.attack, honest: honest, othersVisible: visible, seed: context.seed)
        return LocalUpdate(delta: delta, sampleCount: honest.sampleCount, trainingLoss: honest.trainingLoss)
    }

    /// The first update another owner published this round, waiting for one while the update phase lasts.
    private func firstOtherUpdate(in context: UpdateContext, network: any TrainingNetwork) async throws -> UpdateSubmission? {
        var task = context.task
        while task.status == .running, task.round == context.round.number, task.phase == .updates {
            let round = try await network.round(taskID: task.id, number: task.round)
            if let other = round.updates.first(where: { $0.contributor != network.address }) { return other }
            try await Task.sleep(for: .milliseconds(5))
            task = try await network.task(task.id, after: nil)
        }
        return nil
    }
}
