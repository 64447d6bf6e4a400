// A metronome: one element per block interval.

/// An endless sequence that yields once per `interval`, on a fixed schedule.
///
/// Ticks are scheduled at `start + k × interval`; when the consumer falls behind (a block took longer than the
/// interval), the missed ticks are skipped instead of bursting. The sequence ends when its task is cancelled.
struct BlockTicks: AsyncSequence, Sendable {
    typealias Element = ContinuousClock.Instant

    /// The time between two ticks.
    let interval: Duration

    func makeAsyncIterator() -> Iterator {
        Iterator(interval: self.interval, deadline: ContinuousClock.now.advanced(by: self.interval))
    }

    struct Iterator: AsyncIteratorProtocol {
        let interval: Duration
        var deadline: ContinuousClock.Instant

        mutating func next() async -> ContinuousClock.Instant? {
            do {
                try await Task.sleep(until: self.deadline, clock: .continuous)
            } catch {
                return nil
            }
            let tick = self.deadline
            let now = ContinuousClock.now
            repeat {
                self.deadline = self.deadline.advanced(by: self.interval)
            } while self.deadline <= now
            return tick
        }
    }
}
