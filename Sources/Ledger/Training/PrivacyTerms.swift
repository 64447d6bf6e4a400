// A task's differential-privacy mechanism and per-owner budget, as the integers the chain accounts with.

public import DeAICore

/// What a task declares about the privacy of its data owners: the DP-SGD mechanism every owner trains with, the
/// (ε, δ) budget no owner may exceed over the task, and the Rényi-DP accounting of one round, in fixed point.
///
/// The chain keeps each owner's cumulative RDP at ``orderTenths`` (``TaskMember/privacySpent``), adds
/// ``roundRDP`` for every update it reveals, and refuses the update commitment of an owner whose budget one more
/// round would exceed. Everything it computes is integer: ε after a cumulative RDP `r` is
/// `min over orders of (r + conversion)`, rounded up to millionths. The accounting vectors are derived from the
/// mechanism off the chain, with floating point (``init(clippingNorm:noiseMultiplier:samplingRate:stepsPerRound:epsilon:delta:orders:)``),
/// once, by the sponsor; anyone can recompute them (``accountingProblem()``), and owners' nodes refuse to train
/// for a task whose vectors understate what its mechanism spends.
public struct PrivacyTerms: Sendable, Hashable, Codable {
    /// The largest norm of an example's gradient (C), in millionths.
    public var clippingNormMillionths: UInt64
    /// The noise's standard deviation over the clipping norm (σ), in millionths.
    public var noiseMultiplierMillionths: UInt64
    /// The probability that an example is in a step's batch (q), in millionths.
    public var samplingRateMillionths: UInt32
    /// DP-SGD steps an owner takes in a round.
    public var stepsPerRound: UInt32
    /// The most ε an owner may spend over the task, in millionths.
    public var epsilonMillionths: UInt64
    /// The δ of the budget, in units of 10⁻¹⁵.
    public var deltaFemtos: UInt64
    /// The Rényi orders accounted at, in tenths (11 for α = 1.1), increasing.
    public var orderTenths: [UInt16]
    /// The RDP one round spends at each order, in nano-nats, rounded up.
    public var roundRDP: [UInt64]
    /// What turns RDP at each order into ε at δ (Balle et al. 2020: log((α − 1)/α) − (log δ + log α)/(α − 1)),
    /// in nano-nats, rounded up.
    public var conversion: [Int64]

    /// Limits on the terms.
    public enum Limits {
        /// The most orders a task accounts at.
        public static let orders = 256
        /// The highest order, in tenths (α = 256; Opacus's highest is 63).
        public static let orderTenths: UInt16 = 2_560
        /// The largest magnitude of a conversion term, in nano-nats (1,000 nats; real ones stay under 400).
        public static let conversion: Int64 = 1_000_000_000_000
        /// The most steps per round.
        public static let stepsPerRound: UInt32 = 1_000_000
        /// The largest budget, in millionths (ε = 1,000).
        public static let epsilonMillionths: UInt64 = 1_000_000_000
        /// δ's unit: 10¹⁵ femtos make 1.
        public static let femtosPerUnit: UInt64 = 1_000_000_000_000_000
        /// The largest per-round RDP at one order, in nano-nats (10⁹ nats): more is as good as infinite.
        public static let roundRDP: UInt64 = 1_000_000_000_000_000_000
    }

    /// Terms with every field given; ``validate()`` checks them.
    public init(
        clippingNormMillionths: UInt64, noiseMultiplierMillionths: UInt64, samplingRateMillionths: UInt32,
        stepsPerRound: UInt32, epsilonMillionths: UInt64, deltaFemtos: UInt64, orderTenths: [UInt16],
        roundRDP: [UInt64], conversion: [Int64]
    ) {
        self.clippingNormMillionths = clippingNormMillionths
        self.noiseMultiplierMillionths = noiseMultiplierMillionths
        self.samplingRateMillionths = samplingRateMillionths
        self.stepsPerRound = stepsPerRound
        self.epsilonMillionths = epsilonMillionths
        self.deltaFemtos = deltaFemtos
        self.orderTenths = orderTenths
        self.roundRDP = roundRDP
        self.conversion = conversion
    }

    private enum CodingKeys: String, CodingKey {
        case clippingNormMillionths = "clipping_norm_millionths"
        case noiseMultiplierMillionths = "noise_multiplier_millionths"
        case samplingRateMillionths = "sampling_rate_millionths"
        case stepsPerRound = "steps_per_round", epsilonMillionths = "epsilon_millionths", deltaFemtos = "delta_femtos"
        case orderTenths = "order_tenths", roundRDP = "round_rdp", conversion
    }

    // MARK: - Accounting (integers only)

    /// The ε, in millionths (rounded up), of an owner whose cumulative RDP is `spent` (empty: nothing spent).
    public func epsilonMillionths(spent: [UInt64]) -> UInt64 {
        guard spent.contains(where: { $0 > 0 }) else { return 0 }
        var best = Int64.max
        for (index, conversion) in self.conversion.enumerated() {
            let rdp = index < spent.count ? Int64(clamping: spent[index]) : 0
            let (epsilon, overflow) = rdp.addingReportingOverflow(conversion)
            best = min(best, overflow ? Int64.max : epsilon)
        }
        guard best > 0 else { return 0 }
        return UInt64(best / 1_000) + (best % 1_000 == 0 ? 0 : 1)
    }

    /// `spent` with one more round's RDP added (saturating).
    public func charging(_ spent: [UInt64]) -> [UInt64] {
        self.roundRDP.enumerated().map { index, rdp in
            let (total, overflow) = (index < spent.count ? spent[index] : 0).addingReportingOverflow(rdp)
            return overflow ? UInt64.max : total
        }
    }

    /// Whether an owner that has spent `spent` may publish one more round's update within the budget.
    public func affordsRound(after spent: [UInt64]) -> Bool {
        self.epsilonMillionths(spent: self.charging(spent)) <= self.epsilonMillionths
    }

    /// How many rounds a fresh owner can publish within the budget, at most `limit`.
    public func affordableRounds(limit: UInt32) -> UInt32 {
        var spent: [UInt64] = []
        var rounds: UInt32 = 0
        while rounds < limit, self.affordsRound(after: spent) {
            spent = self.charging(spent)
            rounds += 1
        }
        return rounds
    }

    /// Checks the terms' ranges, and that one round fits the budget.
    /// - Throws: ``LedgerError/invalidTask(reason:)`` naming the first problem; for a mechanism too weak for the
    ///   budget, with the ε one round would cost.
    public func validate() throws(LedgerError) {
        func require(_ condition: Bool, _ reason: @autoclosure () -> String) throws(LedgerError) {
            guard condition else { throw .invalidTask(reason: "privacy: " + reason()) }
        }
        try require(self.clippingNormMillionths > 0, "the clipping norm must be positive")
        try require(self.noiseMultiplierMillionths > 0, "the noise multiplier must be positive")
        try require((1...1_000_000).contains(self.samplingRateMillionths), "the sampling rate must lie in (0, 1]")
        try require(
            (1...Limits.stepsPerRound).contains(self.stepsPerRound), "steps per round must be 1–\(Limits.stepsPerRound)")
        try require(
            (1...Limits.epsilonMillionths).contains(self.epsilonMillionths),
            "the budget ε must lie in (0, \(Limits.epsilonMillionths / 1_000_000)]")
        try require((1..<Limits.femtosPerUnit).contains(self.deltaFemtos), "δ must lie in [1e-15, 1)")
        try require((1...Limits.orders).contains(self.orderTenths.count), "1–\(Limits.orders) Rényi orders")
        try require(
            self.orderTenths[0] > 10 && self.orderTenths.last! <= Limits.orderTenths
                && zip(self.orderTenths, self.orderTenths.dropFirst()).allSatisfy { $0 < $1 },
            "the Rényi orders must be increasing, above 1.0 and at most \(Limits.orderTenths / 10)")
        try require(
            self.roundRDP.count == self.orderTenths.count && self.conversion.count == self.orderTenths.count,
            "one round RDP and one conversion per order")
        try require(
            self.roundRDP.allSatisfy { (1...Limits.roundRDP).contains($0) },
            "a round's RDP must be positive and at most 10⁹ nats at every order")
        try require(
            self.conversion.allSatisfy { (-Limits.conversion...Limits.conversion).contains($0) },
            "a conversion term must be within ±1000 nats")
        try require(
            self.affordsRound(after: []),
            "one round of this mechanism spends ε = \(Self.decimal(millionths: self.epsilonMillionths(spent: self.roundRDP))) "
                + "at δ = \(self.delta), more than the budget ε = \(Self.decimal(millionths: self.epsilonMillionths)): "
                + "raise the noise multiplier, lower the sampling rate or take fewer steps per round")
    }

    // MARK: - Reading

    /// The noise multiplier σ.
    public var noiseMultiplier: Double { Double(self.noiseMultiplierMillionths) / 1e6 }
    /// The sampling rate q.
    public var samplingRate: Double { Double(self.samplingRateMillionths) / 1e6 }
    /// The clipping norm C.
    public var clippingNorm: Double { Double(self.clippingNormMillionths) / 1e6 }
    /// The budget's ε.
    public var epsilon: Double { Double(self.epsilonMillionths) / 1e6 }
    /// The budget's δ.
    public var delta: Double { Double(self.deltaFemtos) / Double(Limits.femtosPerUnit) }

    /// `millionths` as a decimal number with at most six places: 4250000 → "4.25".
    public static func decimal(millionths: UInt64) -> String {
        let fraction = millionths % 1_000_000
        guard fraction > 0 else { return "\(millionths / 1_000_000)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(millionths / 1_000_000).\(digits)"
    }
}

extension PrivacyTerms: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.clippingNormMillionths)
        encoder.encode(self.noiseMultiplierMillionths)
        encoder.encode(self.samplingRateMillionths)
        encoder.encode(self.stepsPerRound)
        encoder.encode(self.epsilonMillionths)
        encoder.encode(self.deltaFemtos)
        encoder.encode(self.orderTenths)
        encoder.encode(self.roundRDP)
        encoder.encode(self.conversion)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.clippingNormMillionths = try decoder.decodeUInt64()
        self.noiseMultiplierMillionths = try decoder.decodeUInt64()
        self.samplingRateMillionths = try decoder.decodeUInt32()
        self.stepsPerRound = try decoder.decodeUInt32()
        self.epsilonMillionths = try decoder.decodeUInt64()
        self.deltaFemtos = try decoder.decodeUInt64()
        self.orderTenths = try decoder.decodeArray(of: UInt16.self, maxCount: Limits.orders)
        self.roundRDP = try decoder.decodeArray(of: UInt64.self, maxCount: Limits.orders)
        self.conversion = try decoder.decodeArray(of: Int64.self, maxCount: Limits.orders)
    }
}
