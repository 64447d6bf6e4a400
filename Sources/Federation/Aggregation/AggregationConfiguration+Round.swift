// AggregationConfiguration+Round: the rule parameters of a round, from the number of updates alone.

extension AggregationConfiguration {
    /// The rule parameters every evaluator uses for a round of `count` updates: trim and Byzantine counts of a
    /// fifth, rounded down, so that the aggregate — and its hash — depend only on the chain's data.
    public static func forRound(of count: Int) -> AggregationConfiguration {
        var configuration = AggregationConfiguration()
        configuration.trimCount = count / 5
        configuration.byzantineCount = count / 5
        return configuration
    }
}
