// ServerOptimizer: how a round's aggregate moves the global model (FedAvg, or FedAvgM with server momentum).

/// How the round's aggregate step moves the global model: `next = w + η·A + β·(w − w_parent)`, with `η` the server
/// learning rate, `β` the server momentum and `w_parent` the model the current one was made from (FedAvgM, Hsu et
/// al. 2019, written as heavy-ball momentum so that it needs no state but the lineage the chain already keeps:
/// the last step `w − w_parent` is the previous momentum times `η`). `η = 1, β = 0` is plain FedAvg.
///
/// Measured on non-IID digits (two labels per owner): momentum carries the direction of earlier rounds across
/// rounds whose owners pull toward different labels, where plain FedAvg swings.
///
/// **Determinism:** every evaluator computes the next model from the same three vectors; see
/// ``nextModel(global:aggregate:parent:)``.
public struct ServerOptimizer: Codable, Sendable, Hashable {
    /// The server learning rate `η` (0 < η ≤ 10).
    public var learningRate: Double
    /// The server momentum `β` (0 ≤ β < 1).
    public var momentum: Double

    /// A server optimizer; the defaults are plain FedAvg.
    public init(learningRate: Double = 1, momentum: Double = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    /// Plain FedAvg: the aggregate is the step.
    public var isPlain: Bool { self.learningRate == 1 && self.momentum == 0 }

    /// Checks the ranges.
    /// - Throws: ``FederationError/invalidParameter(name:reason:)`` naming the setting out of range.
    public func validate() throws(FederationError) {
        guard self.learningRate.isFinite, self.learningRate > 0, self.learningRate <= 10 else {
            throw .invalidParameter(name: "server.learningRate", reason: "\(self.learningRate) is outside (0, 10]")
        }
        guard self.momentum.isFinite, (0..<1).contains(self.momentum) else {
            throw .invalidParameter(name: "server.momentum", reason: "\(self.momentum) is outside [0, 1)")
        }
    }

    /// The next global model.
    ///
    /// Plain FedAvg is ``applyUpdate(_:to:)`` (one `Float` addition per coordinate). Otherwise each coordinate is
    /// `Float(w + η·a + β·(w − p))`, every product and sum a separate correctly rounded `Double` operation (no
    /// FMA), rounded to `Float` once; without a parent (the first version) the momentum term is 0. The same three
    /// vectors give the same bits on every CPU.
    ///
    /// - Throws: ``FederationError/vectorCountMismatch(expected:actual:)`` when the lengths differ.
    /// - Complexity: O(d).
    public func nextModel(global: [Float], aggregate: [Float], parent: [Float]?) throws(FederationError) -> [Float] {
        guard aggregate.count == global.count else {
            throw .vectorCountMismatch(expected: global.count, actual: aggregate.count)
        }
        if let parent, parent.count != global.count {
            throw .vectorCountMismatch(expected: global.count, actual: parent.count)
        }
        if self.isPlain || (parent == nil && self.learningRate == 1) { return try applyUpdate(aggregate, to: global) }
        var next = global
        for index in next.indices {
            let weight = Double(global[index])
            let step = self.learningRate * Double(aggregate[index])
            let carried = parent.map { self.momentum * (weight - Double($0[index])) } ?? 0
            next[index] = Float(weight + step + carried)
        }
        return next
    }
}
