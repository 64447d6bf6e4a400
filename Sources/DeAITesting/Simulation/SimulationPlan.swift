// SimulationPlan: the network and the faults of one simulated run, all drawn from its seed.

/// How one run of ``ConsensusSimulation`` treats its validators: message delays, drops and duplicates, a partition
/// that heals, a crash with restart, and whether one validator is Byzantine. Everything is drawn from the seed, so
/// a seed names a run exactly.
///
/// Faults happen only before ``healTime``; from then on the network delivers every message within ``maxDelay``
/// and every validator is up, and the chain must make progress again.
public struct SimulationPlan: Sendable, Hashable, CustomStringConvertible {
    /// A split of the validators in two sides that cannot reach each other for a while.
    public struct Partition: Sendable, Hashable {
        /// The validators on one side (the rest are on the other).
        public var side: Set<Int>
        /// When it starts, in simulated nanoseconds.
        public var start: UInt64
        /// When it heals.
        public var end: UInt64
    }

    /// A validator that stops, losing everything but its database and its signing record, and starts again.
    public struct Crash: Sendable, Hashable {
        /// The validator.
        public var validator: Int
        /// When it stops.
        public var start: UInt64
        /// When it restarts.
        public var end: UInt64
    }

    /// The shortest delivery delay, in simulated nanoseconds.
    public var minDelay: UInt64
    /// The longest delivery delay.
    public var maxDelay: UInt64
    /// The chance, in thousandths, that a message sent before ``healTime`` is lost.
    public var dropPerMille: UInt64
    /// The chance, in thousandths, that a message is delivered twice.
    public var duplicatePerMille: UInt64
    /// A partition, if any.
    public var partition: Partition?
    /// A crash, if any.
    public var crash: Crash?
    /// The Byzantine validator, if any: it equivocates every proposal and vote.
    public var byzantine: Int?
    /// From this time on the network is reliable and every validator is up.
    public var healTime: UInt64

    /// The plan of `seed` for `validators` validators: each fault is present in some seeds and absent in others,
    /// and a Byzantine validator only when the set has at least four (it then holds less than a third of the power).
    public init(seed: UInt64, validators: Int) {
        var random = SeededGenerator(seed: seed ^ 0x5EED_0F_CA05)
        let millisecond: UInt64 = 1_000_000
        self.minDelay = millisecond
        self.maxDelay = [5, 20, 80, 250][Int(random.next() % 4)] * millisecond
        self.dropPerMille = [0, 0, 50, 200][Int(random.next() % 4)]
        self.duplicatePerMille = [0, 50][Int(random.next() % 2)]
        self.healTime = (1 + random.next() % 4) * 1_000 * millisecond
        if random.next() % 3 == 0 {
            let start = random.next() % self.healTime
            let end = start + (self.healTime - start) / 2 + 1
            let size = 1 + Int(random.next() % UInt64(max(validators - 1, 1)))
            let shuffled = (0..<validators).shuffled(using: &random)
            self.partition = Partition(side: Set(shuffled.prefix(size)), start: start, end: end)
        }
        self.byzantine = validators >= 4 && random.next() % 2 == 0 ? validators - 1 : nil
        if random.next() % 3 == 0 {
            let honest = (0..<validators).filter { $0 != self.byzantine }
            let start = random.next() % self.healTime
            self.crash = Crash(
                validator: honest[Int(random.next() % UInt64(honest.count))], start: start,
                end: start + (self.healTime - start) / 2 + 1)
        }
    }

    public var description: String {
        var parts = ["delay \(self.minDelay / 1_000_000)–\(self.maxDelay / 1_000_000) ms"]
        if self.dropPerMille > 0 { parts.append("drop \(self.dropPerMille)‰") }
        if self.duplicatePerMille > 0 { parts.append("duplicate \(self.duplicatePerMille)‰") }
        if let partition = self.partition { parts.append("partition \(partition.side.sorted())") }
        if let crash = self.crash { parts.append("crash of \(crash.validator)") }
        if let byzantine = self.byzantine { parts.append("Byzantine \(byzantine)") }
        parts.append("heal at \(self.healTime / 1_000_000) ms")
        return parts.joined(separator: ", ")
    }
}
