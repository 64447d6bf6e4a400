// ClassificationMetrics: accuracy, precision, recall, F1, confusion matrix, ROC AUC and MSE.

/// Metrics of predictions against true labels.
public enum ClassificationMetrics {
    /// The fraction of predictions equal to the labels (0 for empty input).
    /// - Complexity: O(n).
    public static func accuracy(_ predictions: [Int], _ labels: [Int]) -> Double {
        guard !labels.isEmpty, predictions.count == labels.count else { return 0 }
        return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }

    /// The confusion matrix: `matrix[truth][predicted]` counts.
    /// - Complexity: O(n + classes²).
    public static func confusionMatrix(_ predictions: [Int], _ labels: [Int], classes: Int) -> [[Int]] {
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        for (predicted, truth) in zip(predictions, labels)
        where (0..<classes).contains(predicted) && (0..<classes).contains(truth) {
            matrix[truth][predicted] += 1
        }
        return matrix
    }

    /// Precision, recall and F1 of one class (the positive class of a binary task); 0 where undefined.
    public static func precisionRecallF1(_ predictions: [Int], _ labels: [Int], positive: Int = 1)
        -> (precision: Double, recall: Double, f1: Double)
    {
        var truePositive = 0
        var falsePositive = 0
        var falseNegative = 0
        for (predicted, truth) in zip(predictions, labels) {
            if predicted == positive && truth == positive { truePositive += 1 }
            if predicted == positive && truth != positive { falsePositive += 1 }
            if predicted != positive && truth == positive { falseNegative += 1 }
        }
        let precision = truePositive + falsePositive == 0 ? 0 : Double(truePositive) / Double(truePositive + falsePositive)
        let recall = truePositive + falseNegative == 0 ? 0 : Double(truePositive) / Double(truePositive + falseNegative)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        return (precision, recall, f1)
    }

    /// The macro-averaged F1 over `classes` classes.
    public static func macroF1(_ predictions: [Int], _ labels: [Int], classes: Int) -> Double {
        guard classes > 0 else { return 0 }
        return (0..<classes).reduce(0.0) { $0 + self.precisionRecallF1(predictions, labels, positive: $1).f1 }
            / Double(classes)
    }

    /// The area under the ROC curve for binary labels (1 = positive) and real scores: the probability that a
    /// random positive scores above a random negative, ties counting one half (Mann–Whitney U).
    /// Returns nil when one class is absent.
    /// - Complexity: O(n log n).
    public static func rocAUC(scores: [Float], labels: [Int]) -> Double? {
        let positives = labels.filter { $0 == 1 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0, scores.count == labels.count else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let averageRank = Double(start + end) / 2 + 1
            for position in start...end where labels[order[position]] == 1 { rankSum += averageRank }
            start = end + 1
        }
        let u = rankSum - Double(positives) * Double(positives + 1) / 2
        return u / (Double(positives) * Double(negatives))
    }

    /// The mean squared error of predictions against targets (0 for empty input).
    public static func meanSquaredError(_ predictions: [Float], _ targets: [Float]) -> Double {
        guard !targets.isEmpty, predictions.count == targets.count else { return 0 }
        return zip(predictions, targets).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / Double(targets.count)
    }
}
