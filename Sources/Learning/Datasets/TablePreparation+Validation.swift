// TablePreparation+Validation: a preparation read from a file or a blob is checked before it prepares anything.

extension TablePreparation {
    /// Checks a preparation that came from outside (a model file, a `--spec` file, a task's schema blob): unique
    /// column names, each text column's categories sorted and unique (they are searched by bisection), at least two
    /// distinct classes, finite scales, and standardization statistics that are finite, positive where they divide
    /// and one per input.
    /// - Throws: ``LearningError/invalidArgument(operation:reason:)`` naming what is wrong.
    public func validate() throws(LearningError) {
        func refuse(_ reason: String) -> LearningError { .invalidArgument(operation: "data preparation", reason: reason) }
        guard !self.features.isEmpty else { throw refuse("no feature columns") }
        let names = self.features.map(\.name) + [self.target.name]
        guard Set(names).count == names.count else { throw refuse("column names repeat: \(names)") }
        for feature in self.features {
            let sortedAndUnique = zip(feature.categories, feature.categories.dropFirst()).allSatisfy { $0 < $1 }
            switch feature.kind {
            case .categorical:
                guard !feature.categories.isEmpty, sortedAndUnique else {
                    throw refuse("column '\(feature.name)': categories must be non-empty, sorted and unique")
                }
            case .numeric, .boolean:
                guard feature.categories.isEmpty else { throw refuse("column '\(feature.name)' is not categorical but lists categories") }
            }
        }
        switch self.target.task {
        case .classification:
            guard self.target.classes.count >= 2, Set(self.target.classes).count == self.target.classes.count else {
                throw refuse("target '\(self.target.name)' needs at least two distinct classes")
            }
        case .regression:
            guard self.target.mean.isFinite, self.target.deviation.isFinite, self.target.deviation > 0 else {
                throw refuse("target '\(self.target.name)' has a mean or deviation that is not finite and positive")
            }
        }
        if let standardizer = self.standardizer {
            guard standardizer.mean.count == self.inputWidth, standardizer.deviation.count == self.inputWidth else {
                throw refuse("the standardization has \(standardizer.mean.count) means and \(standardizer.deviation.count) "
                    + "deviations for \(self.inputWidth) inputs")
            }
            guard standardizer.mean.allSatisfy(\.isFinite), standardizer.deviation.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                throw refuse("the standardization holds a value that is not finite, or a deviation that is not positive")
            }
        }
    }
}
