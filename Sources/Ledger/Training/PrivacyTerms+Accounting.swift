// Deriving a task's privacy accounting from its mechanism, and checking a declared one, off the chain.

public import Federation
import Foundation
public import Learning

extension PrivacyTerms {
    /// Terms for DP-SGD with clipping norm `clippingNorm`, noise `noiseMultiplier` and sampling rate
    /// `samplingRate`, `stepsPerRound` steps a round, within (`epsilon`, `delta`) per owner, accounted at `orders`.
    ///
    /// The mechanism is rounded to millionths first (σ down, q up, both towards more privacy spent), and the
    /// accounting is of those numbers, the ones trainers use; the RDP of a round and the conversion are rounded
    /// up, so the chain never counts less than the accountant.
    /// - Throws: ``PrivacyError`` for a mechanism the accountant cannot bound, or orders not in tenths above 1.
    public init(
        clippingNorm: Double, noiseMultiplier: Double, samplingRate: Double, stepsPerRound: Int, epsilon: Double,
        delta: Double, orders: [Double] = RDPAccountant.defaultOrders
    ) throws(PrivacyError) {
        _ = try SubsampledGaussian(samplingRate: samplingRate, noiseMultiplier: noiseMultiplier)
        guard epsilon > 0, epsilon.isFinite else { throw .epsilonNotPositive(epsilon) }
        for (name, value, limit) in [
            ("the budget ε", epsilon, Double(Limits.epsilonMillionths) / 1e6), ("the noise multiplier σ", noiseMultiplier, 1e6),
            ("the clipping norm", clippingNorm, 1e6), ("steps per round", Double(stepsPerRound), Double(Limits.stepsPerRound)),
        ] where !(value > 0 && value <= limit) {
            throw .outOfRange(name: name, value: value, limit: limit)
        }
        let tenths = orders.map { ($0 * 10).rounded() }
        guard zip(tenths, orders).allSatisfy({ $0 / 10 == $1 && $0 > 10 && $0 <= Double(Limits.orderTenths) }) else {
            throw .ordersNotInTenths(orders)
        }
        let femtos = (delta * Double(Limits.femtosPerUnit)).rounded(.down)
        self.init(
            clippingNormMillionths: UInt64((clippingNorm * 1e6).rounded()),
            noiseMultiplierMillionths: UInt64(max((noiseMultiplier * 1e6).rounded(.down), 1)),
            samplingRateMillionths: UInt32(min(max((samplingRate * 1e6).rounded(.up), 1), 1e6)),
            stepsPerRound: UInt32(clamping: stepsPerRound), epsilonMillionths: UInt64((epsilon * 1e6).rounded(.down)),
            deltaFemtos: UInt64(min(max(femtos, 1), Double(Limits.femtosPerUnit - 1))),
            orderTenths: tenths.map { UInt16($0) }, roundRDP: [], conversion: [])
        let derived = try self.derivedAccounting()
        self.roundRDP = derived.roundRDP
        self.conversion = derived.conversion
    }

    /// Terms with the least noise that lets an owner publish `rounds` rounds of `stepsPerRound` steps within
    /// (`epsilon`, `delta`), as the chain accounts them.
    /// - Throws: ``PrivacyError/unreachableEpsilon(target:noiseMultiplier:epsilon:)`` when no noise reaches the
    ///   budget, and the errors of the accountant.
    public static func fitting(
        epsilon: Double, delta: Double, samplingRate: Double, clippingNorm: Double, stepsPerRound: Int, rounds: Int
    ) throws(PrivacyError) -> PrivacyTerms {
        var sigma = try RDPAccountant.noiseMultiplier(
            targetEpsilon: epsilon, samplingRate: samplingRate, steps: stepsPerRound * max(rounds, 1), delta: delta)
        // The chain rounds every figure up: a σ found on the exact budget may fall a hair short of it there.
        for _ in 0..<100 {
            let terms = try PrivacyTerms(
                clippingNorm: clippingNorm, noiseMultiplier: sigma, samplingRate: samplingRate,
                stepsPerRound: stepsPerRound, epsilon: epsilon, delta: delta)
            if terms.affordableRounds(limit: UInt32(clamping: max(rounds, 1))) >= rounds { return terms }
            sigma *= 1.001
        }
        throw .unreachableEpsilon(
            target: epsilon, noiseMultiplier: sigma,
            epsilon: try RDPAccountant.epsilon(
                samplingRate: samplingRate, noiseMultiplier: sigma, steps: stepsPerRound * max(rounds, 1), delta: delta))
    }

    /// The DP-SGD configuration owners train with.
    public var mechanism: DifferentialPrivacy {
        DifferentialPrivacy(
            clippingNorm: self.clippingNorm, noiseMultiplier: self.noiseMultiplier, samplingRate: self.samplingRate)
    }

    /// Why the declared accounting cannot be trusted, or `nil`: the accountant, run again on the mechanism,
    /// finds a round's RDP or a conversion term larger than declared at some order (beyond a nano-nat per
    /// million of rounding that floating point may differ by between machines).
    public func accountingProblem() -> String? {
        let derived: (roundRDP: [UInt64], conversion: [Int64])
        do {
            derived = try self.derivedAccounting()
        } catch {
            return "the accountant cannot bound the mechanism: \(error)"
        }
        guard derived.roundRDP.count == self.roundRDP.count, derived.conversion.count == self.conversion.count else {
            return "the task declares \(self.roundRDP.count) RDP figures for \(self.orderTenths.count) orders"
        }
        for index in self.orderTenths.indices {
            let order = Double(self.orderTenths[index]) / 10
            let (declared, computed) = (self.roundRDP[index], derived.roundRDP[index])
            if declared < computed, computed - declared > 1 + computed / 1_000_000 {
                return "at order \(order) the task declares a round's RDP of \(declared) nano-nats; the accountant "
                    + "computes \(computed)"
            }
            let (declaredTerm, computedTerm) = (self.conversion[index], derived.conversion[index])
            let shortfall = computedTerm.subtractingReportingOverflow(declaredTerm)
            let tolerance = 1 + Int64(computedTerm.magnitude / 1_000_000)
            if declaredTerm < computedTerm, shortfall.overflow || shortfall.partialValue > tolerance {
                return "at order \(order) the task declares a conversion of \(declaredTerm) nano-nats; the accountant "
                    + "computes \(computedTerm)"
            }
        }
        return nil
    }

    /// The round RDP and conversion terms of the mechanism, at the terms' orders, in nano-nats rounded up.
    private func derivedAccounting() throws(PrivacyError) -> (roundRDP: [UInt64], conversion: [Int64]) {
        let mechanism = try SubsampledGaussian(samplingRate: self.samplingRate, noiseMultiplier: self.noiseMultiplier)
        let delta = self.delta
        var roundRDP: [UInt64] = []
        var conversion: [Int64] = []
        for tenths in self.orderTenths {
            let order = Double(tenths) / 10
            let rdp = Double(self.stepsPerRound) * mechanism.rdp(order: order) * 1e9
            roundRDP.append(rdp < Double(Limits.roundRDP) ? max(UInt64(rdp.rounded(.up)), 1) : Limits.roundRDP)
            let term = (log((order - 1) / order) - (log(delta) + log(order)) / (order - 1)) * 1e9
            conversion.append(Int64(term.rounded(.up)))
        }
        return (roundRDP, conversion)
    }
}
