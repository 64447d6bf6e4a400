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
        abstract: "The (ε, δ) that DP-SGD steps spend, by the RDP accountant at Opacus's orders.",
        discussion: """
            Each step samples every example with probability --q (Poisson sampling), clips each example's gradient \
            and adds Gaussian noise of --sigma times the clipping norm. Give --sigma to learn ε, or \
            --target-epsilon to learn the smallest σ that stays within it.
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
    @Flag(help: "Print the result as JSON.")
    var json = false

    /// What the command found.
    struct Result: Encodable {
        var q: Double
        var sigma: Double
        var steps: Int
        var delta: Double
        var epsilon: Double
        var order: Double
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
            let sigma = try self.sigma ?? RDPAccountant.noiseMultiplier(
                targetEpsilon: self.targetEpsilon ?? 0, samplingRate: self.q, steps: self.steps, delta: self.delta)
            var accountant = RDPAccountant()
            accountant.compose(try SubsampledGaussian(samplingRate: self.q, noiseMultiplier: sigma), steps: self.steps)
            let (epsilon, order) = accountant.epsilon(delta: self.delta)
            let result = Result(q: self.q, sigma: sigma, steps: self.steps, delta: self.delta, epsilon: epsilon, order: order)
            try Output.emit(result, json: self.json) { result in
                Output.table([
                    ("ε", String(format: "%.4f", result.epsilon) + "  (δ = \(result.delta), best Rényi order \(result.order))"),
                    ("σ", String(format: "%.4f", result.sigma) + (self.targetEpsilon == nil ? "" : "  (the smallest within the target, to 0.1 %)")),
                    ("q", "\(result.q)"),
                    ("steps", "\(result.steps)"),
                ])
            }
        } catch let error as PrivacyError {
            throw CLIError("\(error)")
        }
    }
}
