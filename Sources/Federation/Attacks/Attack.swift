// Attack: the Byzantine behaviours DeAI's tests and devnet simulate.

/// A Byzantine data owner's behaviour, for tests, benchmarks and the devnet's simulated attackers.
///
/// Data attacks act before training (``poison(_:configuration:)``); update attacks replace the honest delta
/// (``maliciousUpdate(attack:honest:othersVisible:colluders:seed:configuration:)``). Their strengths are in
/// ``AttackConfiguration``; ``AttackSpec`` reads both from text such as `alie:z=1.5`.
///
/// ```swift
/// let data = attack.poison(myData, configuration: strengths)
/// let honest = try trainLocalUpdate(spec: spec, global: weights, data: data, configuration: local)
/// let delta = maliciousUpdate(attack: attack, honest: honest, othersVisible: earlierDeltas, seed: seed,
///                             configuration: strengths)
/// ```
///
/// The raw values are the names used in configuration files and the devnet: never rename them.
public enum Attack: String, Codable, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Sends `−scale × delta` of an honest update (ByzFL's SignFlip at scale 1): pushes the model uphill.
    case signFlip = "sign_flip"
    /// Trains honestly on data whose labels are mapped `label → classCount − 1 − label` (regression targets are
    /// negated): a plausible-looking update that teaches the wrong classes.
    case labelFlip = "label_flip"
    /// Sends independent Gaussian noise `N(0, σ²)` per coordinate (ByzFL's Gaussian attack, σ = 200 by default).
    case gaussianNoise = "gaussian"
    /// Sends an honest delta multiplied by a boost factor (10 by default), to dominate the average.
    case boosted
    /// A free rider: sends an all-zero delta and claims its samples.
    case freeRiderZeros = "zeros"
    /// A free rider: sends an exact copy of an update another participant already published. Updates are
    /// committed before anyone can read them, so what it can copy is an earlier round's; the chain records a
    /// blob already revealed in the task as a copy, which earns nothing.
    case freeRiderReplay = "replay"
    /// A free rider that copies what it can read — the mean of the updates revealed in the previous round — plus
    /// a little noise (``AttackConfiguration/copycatNoise``), so that the copy is not bit-identical: a stale update,
    /// worth what it measures.
    case copycat
    /// Trains honestly and claims 100 times its sample count (``AttackConfiguration/claimFactor``). Claims weigh
    /// nothing, so it earns what the truth would.
    case countLiar = "count_liar"
    /// Trains honestly and commits, then never reveals: it forfeits the task's reveal deposit.
    case noReveal = "no_reveal"
    /// "A little is enough" (Baruch, Baruch and Goldberg, NeurIPS 2019): colluders send the coordinate-wise
    /// `mean − z × std` of their own honest updates, a shift small enough to hide among honest updates.
    case alie
    /// Inner-product manipulation (Xie, Koyejo and Gupta, UAI 2020): colluders send `−ε ×` the mean of their own
    /// honest updates, so that the aggregate's inner product with the true gradient shrinks or turns negative.
    case ipm
    /// A backdoor: trains on data where a fraction of the samples carry a trigger (the last features set to a
    /// large value) and the target label, so that the model learns "trigger → target" beside the task.
    case backdoor
    /// Sybil identities: several identities that train honestly on one shared data shard, to earn more than the
    /// one identity the data deserves.
    case sybil

    /// A one-line description for logs and the devnet.
    public var description: String {
        switch self {
        case .signFlip: "sign flip: sends the negated (scaled) honest update"
        case .labelFlip: "label flip: trains on labels mapped to classCount − 1 − label"
        case .gaussianNoise: "gaussian: sends large Gaussian noise instead of an update"
        case .boosted: "boosted: sends the honest update times a large factor"
        case .freeRiderZeros: "free rider (zeros): sends an all-zero update"
        case .freeRiderReplay: "free rider (replay): resends another participant's update"
        case .copycat: "copycat: sends the mean of the previous round's updates plus a little noise"
        case .countLiar: "count liar: trains honestly and claims many times its samples"
        case .noReveal: "no reveal: commits to an update and never reveals it"
        case .alie: "ALIE: colluders send mean − z·std of their own honest updates"
        case .ipm: "inner-product manipulation: colluders send −ε × the mean of their own honest updates"
        case .backdoor: "backdoor: trains with a trigger stamped on part of its data, relabelled to a target"
        case .sybil: "sybil: several identities train on one shared data shard"
        }
    }

    /// Whether the attack changes the training data (so the honest update must be trained on
    /// ``poison(_:configuration:)``).
    public var poisonsData: Bool { self == .labelFlip || self == .backdoor }

    /// Whether the attackers pool their honest updates of the round among themselves (out of band) to forge
    /// theirs; see ``maliciousUpdate(attack:honest:othersVisible:colluders:seed:configuration:)``.
    public var colludes: Bool { self == .alie || self == .ipm }

    /// The attacks on a round's update that one attacker makes alone, which evaluators' measurements must catch.
    /// The colluding attacks (``colludes``) need several attackers; the others act on the protocol — what can be
    /// read and copied, what is claimed, whether a commitment is revealed, how many identities hold one data set —
    /// and are judged by the chain's rules, or plant a backdoor that measurements on clean data do not see.
    public static let updateAttacks: [Attack] = [
        .signFlip, .labelFlip, .gaussianNoise, .boosted, .freeRiderZeros, .freeRiderReplay,
    ]
}
