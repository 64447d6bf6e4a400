// A malicious data owner's behaviour, for the devnet to show that the network holds.

import DeAICore
public import Federation
import Ledger
import Participants

/// Makes a malicious update: trains (on label-flipped data for ``Attack/labelFlip``) and then forges its delta
/// with ``Federation/maliciousUpdate(attack:honest:othersVisible:seed:configuration:)``. Copiers read what the
/// network lets them read: updates are committed before anyone can see them, so they copy the previous round's.
/// A count liar claims 100 times its samples; a no-reveal attacker commits and never reveals.
struct AttackPolicy: UpdatePolicy {
    let attack: Attack

    var reveals: Bool { self.attack != .noReveal }

    func update(in context: UpdateContext, network: any TrainingNetwork) async throws -> LocalUpdate? {
        var configuration = context.settings.training
        configuration.seed = context.seed
        let honest = try trainLocalUpdate(
            spec: context.settings.model, global: context.global, data: self.attack.poison(context.data),
            configuration: configuration)
        var visible: [[Float]] = []
        if [.freeRiderReplay, .copycat].contains(self.attack), context.round.number > 1 {
            let previous = try await network.round(taskID: context.task.id, number: context.round.number - 1)
            for update in previous.updates where update.contributor != network.address {
                visible.append(try await ModelBlobs.vector(update.blob, from: network))
            }
        }
        let delta = maliciousUpdate(attack: self.attack, honest: honest, othersVisible: visible, seed: context.seed)
        let claimed = self.attack == .countLiar ? honest.sampleCount * 100 : honest.sampleCount
        return LocalUpdate(delta: delta, sampleCount: claimed, trainingLoss: honest.trainingLoss)
    }
}
