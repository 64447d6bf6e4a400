// `deai privacy`: what differentially private training spends, before anyone trains.

import ArgumentParser
import Federation
import Foundation

/// `deai privacy`: the privacy accountant from the command line.
struct PrivacyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy",
        abstract: "Account for differentially private training (DP-SGD) before it runs.",
        subcommands: [PrivacyEpsilonCommand.self]
    )
}

/// `deai privacy epsilon`: the ε that `--steps` DP-SGD steps spend, or the σ that keeps them within
/// `--target-epsilon`.
struct PrivacyEpsilonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "epsilon",
        abstract: "The (ε, δ) that DP-SGD steps spend, by the RDP and the PLD accountants.",
        discussion: """
            Each step samples every example with probability --q (Poisson sampling), clips each example's gradient \
            and adds Gaussian noise of --sigma times the clipping norm. Give --sigma to learn ε, or \
            --target-epsilon to learn the smallest σ that stays within it by --accountant. Both bounds are printed: \
            RDP at Opacus's orders (what a task's privacy ledger on the chain adds up) and the tighter one of \
            privacy loss distributions (Google's PLD accounting).
            """
    )

    @Option(help: "The sampling rate: the probability that an example is in a step's batch (batch size ÷ examples).")
    var q: Double
    @Option(help: "The noise multiplier σ: the noise's standard deviation over the clipping norm.")
    var sigma: Double?
    @Option(help: "The number of steps.")
    var steps: Int
    @Option(help: "The δ of the (ε, δ) guarantee; at most 1 ÷ examples, as a rule.")
    var delta: Double = 1e-5
    @Option(help: "Find the smallest σ that spends at most this ε, instead of giving --sigma.")
    var targetEpsilon: Double?
    @Option(help: "The accountant whose ε --target-epsilon bounds: rdp (the chain's ledger) or pld (tighter).")
    var accountant: Accountant = .rdp
    @Flag(help: "Print the result as JSON.")
    var json = false

    /// The accountants `--target-epsilon` can size σ by.
    enum Accountant: String, ExpressibleByArgument, CaseIterable {
        case rdp, pld
    }

    /// What the command found.
    struct Result: Encodable {
        var q: Double
        var sigma: Double
        var steps: Int
        var delta: Double
        /// The RDP bound, and the order that gives it.
        var epsilon: Double
        var order: Double
        /// The PLD bound.
        var epsilonPLD: Double

        enum CodingKeys: String, CodingKey {
            case q, sigma, steps, delta, epsilon, order
            case epsilonPLD = "epsilon_pld"
        }
    }

    func validate() throws {
        guard (self.sigma == nil) != (self.targetEpsilon == nil) else {
            throw ValidationError("give either --sigma (to learn ε) or --target-epsilon (to learn σ)")
        }
        guard self.steps >= 0 else { throw ValidationError("--steps must be 0 or more") }
        guard self.delta > 0, self.delta < 1 else { throw ValidationError("--delta must lie strictly between 0 and 1") }
    }

    func run() throws {
        do {
            let sigma = try self.sigma ?? self.noiseMultiplier(target: self.targetEpsilon ?? 0)
            var accountant = RDPAccountant()
            accountant.compose(try SubsampledGaussian(samplingRate: self.q, noiseMultiplier: sigma), steps: self.steps)
            let (epsilon, order) = accountant.epsilon(delta: self.delta)
            let pld = try PLDAccountant.epsilon(samplingRate: self.q, noiseMultiplier: sigma, steps: self.steps, delta: self.delta)
            let result = Result(
                q: self.q, sigma: sigma, steps: self.steps, delta: self.delta, epsilon: epsilon, order: order, epsilonPLD: pld)
            try Output.emit(result, json: self.json) { result in
                Output.table([
                    ("ε (RDP)", String(format: "%.4f", result.epsilon) + "  (δ = \(result.delta), best Rényi order \(result.order))"),
                    ("ε (PLD)", String(format: "%.4f", result.epsilonPLD) + "  (privacy loss distributions: the tighter bound)"),
                    ("σ", String(format: "%.4f", result.sigma) + (self.targetEpsilon == nil ? "" : "  (the smallest within the target, to 0.1 %)")),
                    ("q", "\(result.q)"),
                    ("steps", "\(result.steps)"),
                ])
            }
        } catch let error as PrivacyError {
            throw CLIError("\(error)")
        }
    }

    /// The smallest σ within `target` by the chosen accountant.
    private func noiseMultiplier(target: Double) throws(PrivacyError) -> Double {
        switch self.accountant {
        case .rdp: try RDPAccountant.noiseMultiplier(targetEpsilon: target, samplingRate: self.q, steps: self.steps, delta: self.delta)
        case .pld: try PLDAccountant.noiseMultiplier(targetEpsilon: target, samplingRate: self.q, steps: self.steps, delta: self.delta)
        }
    }
}
