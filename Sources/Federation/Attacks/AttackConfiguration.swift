// AttackConfiguration: how strong each simulated attack is.

/// Strengths of the attacks. Each attack reads only its own fields; ``AttackSpec`` sets them from text such as
/// `ipm:epsilon=2` and names them there (the name of each field's strength is in its documentation).
public struct AttackConfiguration: Codable, Sendable, Hashable {
    /// ``Attack/signFlip``: the factor of the negated delta (`scale`).
    public var signFlipScale: Float
    /// ``Attack/gaussianNoise``: the standard deviation σ of the noise (`sigma`).
    public var noiseStandardDeviation: Float
    /// ``Attack/boosted``: the factor of the honest delta (`factor`).
    public var boostFactor: Float
    /// ``Attack/copycat``: the standard deviation of the noise added to the copied mean, as a fraction of the
    /// mean's root-mean-square (`noise`).
    public var copycatNoise: Float
    /// ``Attack/countLiar``: the multiple of its true sample count it claims (`factor`).
    public var claimFactor: Int
    /// ``Attack/alie``: how many standard deviations `z` the colluders' update lies below their mean (`z`).
    public var alieDeviations: Float
    /// ``Attack/ipm``: the factor ε of the negated mean (`epsilon`).
    public var ipmEpsilon: Float
    /// ``Attack/backdoor``: the trigger, the target label and how much of the data carries them.
    public var backdoor: BackdoorTrigger
    /// ``Attack/sybil``: how many identities share one data shard (`k`).
    public var sybilIdentities: Int

    /// Attack strengths. The defaults follow `REFERENCE-FIGURES.md` where it has a figure (sign flip ×1,
    /// σ = 200, ALIE z = 1.5, IPM ε = 0.1); otherwise boost ×10, copycat noise 0.1, claims ×100, the default
    /// ``BackdoorTrigger`` and three sybil identities per shard.
    public init(
        signFlipScale: Float = 1, noiseStandardDeviation: Float = 200, boostFactor: Float = 10,
        copycatNoise: Float = 0.1, claimFactor: Int = 100, alieDeviations: Float = 1.5, ipmEpsilon: Float = 0.1,
        backdoor: BackdoorTrigger = BackdoorTrigger(), sybilIdentities: Int = 3
    ) {
        self.signFlipScale = signFlipScale
        self.noiseStandardDeviation = noiseStandardDeviation
        self.boostFactor = boostFactor
        self.copycatNoise = copycatNoise
        self.claimFactor = claimFactor
        self.alieDeviations = alieDeviations
        self.ipmEpsilon = ipmEpsilon
        self.backdoor = backdoor
        self.sybilIdentities = sybilIdentities
    }
}
