// Tape: the record of operations that reverse-mode differentiation walks backwards.

/// A record of tensor operations, for reverse-mode automatic differentiation.
///
/// Every operation on ``Variable``s appends one entry: its value, its inputs and a closure that maps the gradient
/// of its output to the gradients of its inputs. ``gradients(of:)`` walks the entries in reverse order once.
/// A tape belongs to one thread of work (it is not `Sendable`); reuse it across training steps with ``reset()``,
/// which keeps its capacity.
///
/// ```swift
/// let tape = Tape()
/// let w = tape.parameter(weight)
/// let loss = try tape.constant(x).dense(w, bias: tape.parameter(bias)).meanSquaredError(target)
/// let grads = try tape.gradients(of: loss)
/// grads[w]   // ∂loss/∂weight
/// ```
public final class Tape {
    /// Maps the gradient of an entry's output to the gradients of its inputs (nil where `needs` is false).
    typealias Backward = (_ gradient: Tensor, _ needs: [Bool]) throws -> [Tensor?]

    /// The value of each entry.
    private(set) var values: [Tensor] = []
    /// The inputs of each entry.
    private var inputs: [[Int]] = []
    /// The backward closure of each entry (nil for leaves).
    private var backwards: [Backward?] = []
    /// Whether a gradient must flow to each entry.
    private var requiresGradient: [Bool] = []

    /// When set, a backward pass adds each example's squared gradient norm to it (``ExampleNorms``) and leaves the
    /// parameter gradients to it, to be formed with each example scaled: DP-SGD's pass.
    public var exampleNorms: ExampleNorms?

    /// An empty tape.
    public init() {}

    /// The number of entries recorded.
    public var count: Int { self.values.count }

    /// Forgets every entry (keeping the arrays' capacity), releasing the tensors it held.
    public func reset() {
        self.values.removeAll(keepingCapacity: true)
        self.inputs.removeAll(keepingCapacity: true)
        self.backwards.removeAll(keepingCapacity: true)
        self.requiresGradient.removeAll(keepingCapacity: true)
    }

    /// A leaf that receives no gradient (inputs, targets).
    public func constant(_ value: Tensor) -> Variable {
        self.append(value, inputs: [], backward: nil, requiresGradient: false)
    }

    /// A leaf that receives a gradient (trainable parameters).
    public func parameter(_ value: Tensor) -> Variable {
        self.append(value, inputs: [], backward: nil, requiresGradient: true)
    }

    /// The value of a variable recorded on this tape.
    func value(of id: Int) -> Tensor { self.values[id] }

    /// Records an operation; its output needs a gradient when any input does.
    func record(_ value: Tensor, inputs: [Variable], backward: @escaping Backward) -> Variable {
        let ids = inputs.map(\.id)
        let needs = ids.contains { self.requiresGradient[$0] }
        return self.append(value, inputs: ids, backward: needs ? backward : nil, requiresGradient: needs)
    }

    private func append(_ value: Tensor, inputs: [Int], backward: Backward?, requiresGradient: Bool) -> Variable {
        self.values.append(value)
        self.inputs.append(inputs)
        self.backwards.append(backward)
        self.requiresGradient.append(requiresGradient)
        return Variable(tape: self, id: self.values.count - 1)
    }

    /// The gradients of a scalar `loss` with respect to every entry that needs one.
    /// - Throws: ``LearningError/invalidArgument(operation:reason:)`` when `loss` is not a one-element tensor of
    ///   this tape, or a shape error from an operation's backward pass.
    /// - Complexity: one backward closure per entry that needs a gradient, in reverse order of recording.
    public func gradients(of loss: Variable) throws -> Gradients {
        guard loss.tape === self, self.values[loss.id].scalarCount == 1 else {
            throw LearningError.invalidArgument(operation: "gradients", reason: "the loss must be a scalar of this tape")
        }
        return try self.gradients(from: [loss.id: Tensor(repeating: 1, shape: self.values[loss.id].shape)])
    }

    /// The gradients that flow from `seeds` (gradients of some entries, by entry) to every entry recorded before
    /// them, walking back from the last seeded entry; entries no gradient reaches cost nothing.
    func gradients(from seeds: [Int: Tensor]) throws -> Gradients {
        var gradients = [Tensor?](repeating: nil, count: (seeds.keys.max() ?? -1) + 1)
        for (id, seed) in seeds { gradients[id] = seed }
        for id in stride(from: gradients.count - 1, through: 0, by: -1) {
            guard let gradient = gradients[id], let backward = self.backwards[id] else { continue }
            let parents = self.inputs[id]
            let needs = parents.map { self.requiresGradient[$0] }
            self.exampleNorms?.currentInputs = parents
            let parentGradients = try backward(gradient, needs)
            for (index, parent) in parents.enumerated() where needs[index] {
                guard let contribution = parentGradients[index] else { continue }
                if gradients[parent] == nil {
                    gradients[parent] = contribution
                } else {
                    try gradients[parent]?.add(contribution)
                }
            }
            if !parents.isEmpty { gradients[id] = nil }
        }
        return Gradients(values: gradients)
    }
}

/// The gradients computed by ``Tape/gradients(of:)``, looked up by variable.
public struct Gradients: Sendable {
    let values: [Tensor?]

    /// The gradient of the loss with respect to `variable` (nil when no gradient reached it).
    public subscript(variable: Variable) -> Tensor? {
        variable.id < self.values.count ? self.values[variable.id] : nil
    }
}
