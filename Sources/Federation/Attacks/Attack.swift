// Attack: the Byzantine behaviours DeAI's tests and devnet simulate.

/// A Byzantine data owner's behaviour, for tests, benchmarks and the devnet's simulated attackers.
///
/// Data attacks act before training (``poison(_:)``); update attacks replace the honest delta
/// (``maliciousUpdate(attack:honest:othersVisible:seed:configuration:)``).
///
/// ```swift
/// let data = attack.poison(myData)
/// let honest = try trainLocalUpdate(spec: spec, global: weights, data: data, configuration: local)
/// let delta = maliciousUpdate(attack: attack, honest: honest, othersVisible: earlierDeltas, seed: seed)
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
    /// a little noise, so that the copy is not bit-identical: a stale update, worth what it measures.
    case copycat
    /// Trains honestly and claims 100 times its sample count. Claims weigh nothing, so it earns what the truth
    /// would.
    case countLiar = "count_liar"
    /// Trains honestly and commits, then never reveals: it forfeits the task's reveal deposit.
    case noReveal = "no_reveal"

    /// A one-line description for logs and the devnet.
    public var description: String {
        switch self {
        case .signFlip: "sign flip: sends the negated honest update"
        case .labelFlip: "label flip: trains on labels mapped to classCount − 1 − label"
        case .gaussianNoise: "gaussian: sends large Gaussian noise instead of an update"
        case .boosted: "boosted: sends the honest update times a large factor"
        case .freeRiderZeros: "free rider (zeros): sends an all-zero update"
        case .freeRiderReplay: "free rider (replay): resends another participant's update"
        case .copycat: "copycat: sends the mean of the previous round's updates plus a little noise"
        case .countLiar: "count liar: trains honestly and claims 100× its samples"
        case .noReveal: "no reveal: commits to an update and never reveals it"
        }
    }

    /// Whether the attack changes the training data (so the honest update must be trained on ``poison(_:)``).
    public var poisonsData: Bool { self == .labelFlip }

    /// The attacks on a round's update itself, which evaluators' measurements must catch. The others act on the
    /// protocol — what can be read and copied, what is claimed, whether a commitment is revealed — and are judged
    /// by the chain's rules.
    public static let updateAttacks: [Attack] = [
        .signFlip, .labelFlip, .gaussianNoise, .boosted, .freeRiderZeros, .freeRiderReplay,
    ]
}

/// Strengths of the attacks.
public struct AttackConfiguration: Codable, Sendable, Hashable {
    /// ``Attack/signFlip``: the factor of the negated delta.
    public var signFlipScale: Float
    /// ``Attack/gaussianNoise``: the standard deviation σ of the noise.
    public var noiseStandardDeviation: Float
    /// ``Attack/boosted``: the factor of the honest delta.
    public var boostFactor: Float

    /// Attack strengths; the defaults follow `REFERENCE-FIGURES.md` (sign flip ×1, σ = 200) and boost ×10.
    public init(signFlipScale: Float = 1, noiseStandardDeviation: Float = 200, boostFactor: Float = 10) {
        self.signFlipScale = signFlipScale
        self.noiseStandardDeviation = noiseStandardDeviation
        self.boostFactor = boostFactor
    }
}
