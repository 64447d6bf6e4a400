// DeAICore: a Duration as the plain numbers that logs, metrics, queries and timers want.

extension Duration {
    /// The duration in seconds, with its fraction.
    public var seconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    /// The duration in whole milliseconds (saturating at the extremes).
    public var milliseconds: Int64 { self.whole(unitAttoseconds: 1_000_000_000_000_000) }

    /// The duration in whole nanoseconds (saturating at the extremes).
    public var nanoseconds: Int64 { self.whole(unitAttoseconds: 1_000_000_000) }

    private func whole(unitAttoseconds unit: Int64) -> Int64 {
        let (seconds, attoseconds) = self.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000_000_000_000 / unit)
        guard !overflow else { return seconds < 0 ? .min : .max }
        return product.addingReportingOverflow(attoseconds / unit).overflow ? .max : product + attoseconds / unit
    }
}
