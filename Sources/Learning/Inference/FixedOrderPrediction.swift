// FixedOrderPrediction: classes and probabilities from fixed-order logits, and their canonical bytes.

/// What a classifier answers for each sample — its class and the probability of every class — computed from
/// ``FixedOrderNetwork`` logits with ``FixedOrderMath``, so the same bits on every CPU, with one byte encoding
/// to hash, sign or compare (``canonicalBytes``).
///
/// - Cross-entropy models: the class is the arg-max of the logits (the first on ties; a NaN never wins against
///   an earlier value), as ``Model/predictClasses(_:)``; the probabilities are the softmax: m = the first
///   largest logit, eᵢ = exp(zᵢ − m), S = e₀ + e₁ + … summed in class order, pᵢ = eᵢ / S.
/// - Binary cross-entropy models (one output z): class 1 when z > 0, else 0, as ``Model/predictClasses(_:)``;
///   probabilities [σ(−z), σ(z)], which is [1 − p, p] with p = σ(z) computed without cancellation.
///
/// Every NaN probability is stored as `Float.nan` (0x7FC00000). Compare predictions by ``canonicalBytes``.
public struct FixedOrderPrediction: Sendable {
    /// The number of classes: the probabilities per sample.
    public let classCount: Int
    /// The predicted class of each sample, in `0..<classCount`.
    public let classes: [Int]
    /// The probabilities, `classCount` per sample, sample after sample.
    public let probabilities: [Float]

    /// The predictions for the samples of `logits`, `outputWidth` per sample, from a model trained with `loss`.
    /// - Parameters:
    ///   - logits: the outputs of ``FixedOrderNetwork/logits(_:count:)``.
    ///   - outputWidth: the outputs per sample (``FixedOrderNetwork/outputWidth``).
    ///   - loss: the model's loss, which says how outputs become classes.
    /// - Throws: ``LearningError/invalidArgument(operation:reason:)`` for a regression model (its outputs are
    ///   values, not classes: use the logits), a binary cross-entropy model with more than one output, or logits
    ///   that are not whole rows of `outputWidth`.
    /// - Complexity: O(logits.count).
    public init(logits: [Float], outputWidth: Int, loss: ModelSpec.Loss) throws(LearningError) {
        func refuse(_ reason: String) -> LearningError {
            .invalidArgument(operation: "fixed-order prediction", reason: reason)
        }
        guard outputWidth > 0, logits.count % outputWidth == 0 else {
            throw refuse("\(logits.count) logits are not whole rows of \(outputWidth)")
        }
        switch loss {
        case .meanSquaredError:
            throw refuse("a regression model's outputs are values, not classes: use the logits")
        case .binaryCrossEntropy:
            guard outputWidth == 1 else {
                throw refuse("a binary cross-entropy model has 1 output, this one \(outputWidth)")
            }
            self.classCount = 2
            self.classes = logits.map { $0 > 0 ? 1 : 0 }
            self.probabilities = logits.flatMap { [FixedOrderMath.sigmoid(-$0), FixedOrderMath.sigmoid($0)] }
                .map(Self.canonical)
        case .crossEntropy:
            self.classCount = outputWidth
            var classes: [Int] = []
            var probabilities = logits
            classes.reserveCapacity(logits.count / outputWidth)
            for start in stride(from: 0, to: logits.count, by: outputWidth) {
                let row = start..<(start + outputWidth)
                var best = start
                for index in row where logits[index] > logits[best] { best = index }
                var total: Float = 0
                for index in row {
                    probabilities[index] = FixedOrderMath.exp(logits[index] - logits[best])
                    total += probabilities[index]
                }
                for index in row { probabilities[index] = Self.canonical(probabilities[index] / total) }
                classes.append(best - start)
            }
            self.classes = classes
            self.probabilities = probabilities
        }
    }

    /// `value`, or `Float.nan` for any NaN (whose sign and payload differ between CPUs).
    private static func canonical(_ value: Float) -> Float { value.isNaN ? .nan : value }

    /// The prediction as bytes to hash or sign, the same for the same prediction on every machine:
    ///
    /// | bytes | content |
    /// |---|---|
    /// | 4 | the number of samples, unsigned 32-bit little-endian |
    /// | 4 | ``classCount``, unsigned 32-bit little-endian |
    /// | 4, per sample | the sample's class, unsigned 32-bit little-endian, then: |
    /// | 4 · ``classCount`` | its probabilities in class order, IEEE 754 binary32 bit patterns, little-endian |
    ///
    /// Every NaN is encoded as 0x7FC00000; −0 and +0 differ. Samples follow each other in input order.
    ///
    /// - Complexity: O(probabilities.count).
    public var canonicalBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + 4 * (self.classes.count + self.probabilities.count))
        func append(_ word: UInt32) { withUnsafeBytes(of: word.littleEndian) { bytes += $0 } }
        append(UInt32(self.classes.count))
        append(UInt32(self.classCount))
        for (row, predicted) in self.classes.enumerated() {
            append(UInt32(predicted))
            for index in (row * self.classCount)..<((row + 1) * self.classCount) {
                append(self.probabilities[index].bitPattern)
            }
        }
        return bytes
    }
}
