// BackdoorTrigger: the pattern a backdoor attacker stamps on its data, and how often a model obeys it.

public import Learning

/// The trigger of an ``Attack/backdoor``: the last ``width`` scalars of a sample (flattened, row-major) set to
/// ``value``, paired with the label ``target``.
///
/// The devnet's features are standardized, so the default value 5 lies five standard deviations out: a pattern
/// clean data almost never shows, which a model can learn beside its task.
///
/// ```swift
/// let trigger = BackdoorTrigger(target: 0)
/// let training = trigger.poisoned(myData)                    // half the samples triggered and relabelled 0
/// let rate = try trigger.successRate(of: model, on: test)    // how often a triggered input becomes a 0
/// ```
public struct BackdoorTrigger: Codable, Sendable, Hashable {
    /// The label a triggered input should be classified as (`target`).
    public var target: Int
    /// The fraction of the attacker's training samples that carry the trigger and the target label (`fraction`).
    public var fraction: Float
    /// How many of the last scalars of a sample the trigger sets (`width`).
    public var width: Int
    /// The value the trigger sets them to (`value`).
    public var value: Float

    /// A trigger setting the last `width` scalars to `value`, on `fraction` of the samples, with label `target`.
    public init(target: Int = 0, fraction: Float = 0.5, width: Int = 3, value: Float = 5) {
        self.target = target
        self.fraction = fraction
        self.width = width
        self.value = value
    }

    /// `data` with the trigger stamped on the samples at `indices`; labels and targets are unchanged.
    /// - Complexity: O(n × sample size) for the copy of the features.
    public func stamped(_ data: Dataset, at indices: some Sequence<Int>) -> Dataset {
        var stamped = data
        let size = data.sampleShape.reduce(1, *)
        let width = min(max(self.width, 0), size)
        stamped.features.withUnsafeMutableScalars { scalars in
            for sample in indices {
                let end = (sample + 1) * size
                for offset in end - width..<end { scalars[offset] = self.value }
            }
        }
        return stamped
    }

    /// The training data of a backdoor attacker: ⌊n × ``fraction``⌋ samples spread evenly over `data` — sample `i`
    /// (from 0) when ⌊(i + 1) × fraction⌋ > ⌊i × fraction⌋ — carry the trigger and the label ``target``.
    /// A regression data set is returned unchanged.
    /// - Complexity: O(n × sample size).
    public func poisoned(_ data: Dataset) -> Dataset {
        guard !data.labels.isEmpty else { return data }
        let fraction = Double(min(max(self.fraction, 0), 1))
        let chosen = data.labels.indices.filter {
            (Double($0 + 1) * fraction).rounded(.down) > (Double($0) * fraction).rounded(.down)
        }
        var poisoned = self.stamped(data, at: chosen)
        for index in chosen { poisoned.labels[index] = self.target }
        poisoned.targets = poisoned.labels.map(Float.init)
        return poisoned
    }

    /// The attack's success rate: of the samples of `data` whose label is not ``target``, the fraction that
    /// `model` classifies as ``target`` once the trigger is stamped on them; `nil` when every label is the target.
    /// - Throws: a shape error when the data does not fit the model.
    /// - Complexity: one forward pass per such sample.
    public func successRate(of model: Model, on data: Dataset) throws -> Double? {
        let others = data.labels.indices.filter { data.labels[$0] != self.target }
        guard !others.isEmpty else { return nil }
        let subset = try data.subset(others)
        let triggered = self.stamped(subset, at: subset.labels.indices)
        let predictions = try model.evaluate(on: triggered).predictions
        return Double(predictions.filter { $0 == self.target }.count) / Double(others.count)
    }
}
