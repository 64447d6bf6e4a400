// A malicious data owner's behaviour, for the devnet to show that the network holds.

import DeAICore
import Federation
import Ledger
import Participants

/// Makes a malicious update: trains (on poisoned data for ``Attack/labelFlip`` and ``Attack/backdoor``) and then
/// forges its delta with
/// ``Federation/maliciousUpdate(attack:honest:othersVisible:colluders:seed:configuration:)``. Copiers read what the
/// network lets them read: updates are committed before anyone can see them, so they copy the previous round's.
/// Colluders (``Attack/colludes``) pool their honest updates of the round through their ``AttackCoalition``. A
/// count liar claims ``AttackConfiguration/claimFactor`` times its samples; a no-reveal attacker commits and never
/// reveals; a sybil trains honestly (its data is what the devnet shares among its identities).
struct AttackPolicy: UpdatePolicy {
    let attack: Attack
    let configuration: AttackConfiguration
    /// The colluders' channel, for a colluding attack.
    let coalition: AttackCoalition<Address>?

    var reveals: Bool { self.attack != .noReveal }

    func update(in context: UpdateContext, network: any TrainingNetwork) async throws -> LocalUpdate? {
        var training = context.settings.training
        training.seed = context.seed
        let honest = try trainLocalUpdate(
            spec: context.settings.model, global: context.global,
            data: self.attack.poison(context.data, configuration: self.configuration), configuration: training)
        var visible: [[Float]] = []
        if [.freeRiderReplay, .copycat].contains(self.attack), context.round > 1 {
            let previous = try await network.round(taskID: context.task.id, number: context.round - 1)
            for update in previous.updates where update.contributor != network.address {
                // Sealed updates open only for evaluators: an attacker sees none of them.
                let vector = try? await ModelBlobs.update(
                    update, in: previous, sealed: context.task.spec.sealedUpdates, from: network)
                if let vector { visible.append(vector) }
            }
        }
        var colluders: [[Float]] = []
        if self.attack.colludes, let coalition = self.coalition {
            let round = try await network.round(taskID: context.task.id, number: context.round)
            colluders = await coalition.pool(honest.delta, from: network.address, round: round.number, selected: round.selected)
        }
        let delta = maliciousUpdate(
            attack: self.attack, honest: honest, othersVisible: visible, colluders: colluders, seed: context.seed,
            configuration: self.configuration)
        let claimed = self.attack == .countLiar
            ? honest.sampleCount * UInt64(self.configuration.claimFactor) : honest.sampleCount
        return LocalUpdate(delta: delta, sampleCount: claimed, trainingLoss: honest.trainingLoss)
    }
}
