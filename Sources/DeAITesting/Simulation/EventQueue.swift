// EventQueue: the simulator's pending events, earliest first, ties in the order they were scheduled.

/// A min-heap of events keyed by simulated time; events at the same time come out in the order they went in, so a
/// run depends on nothing but its seed.
struct EventQueue<Event> {
    private struct Entry {
        var time: UInt64
        var sequence: UInt64
        var event: Event

        func precedes(_ other: Entry) -> Bool {
            (self.time, self.sequence) < (other.time, other.sequence)
        }
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    /// Whether no event is pending.
    var isEmpty: Bool { self.heap.isEmpty }

    /// Schedules `event` at simulated time `time` (nanoseconds).
    mutating func push(_ event: Event, at time: UInt64) {
        self.heap.append(Entry(time: time, sequence: self.nextSequence, event: event))
        self.nextSequence += 1
        var child = self.heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.heap[child].precedes(self.heap[parent]) else { break }
            self.heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest event with its time.
    mutating func pop() -> (time: UInt64, event: Event)? {
        guard !self.heap.isEmpty else { return nil }
        self.heap.swapAt(0, self.heap.count - 1)
        let entry = self.heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var first = parent
            if left < self.heap.count, self.heap[left].precedes(self.heap[first]) { first = left }
            if right < self.heap.count, self.heap[right].precedes(self.heap[first]) { first = right }
            guard first != parent else { break }
            self.heap.swapAt(first, parent)
            parent = first
        }
        return (entry.time, entry.event)
    }
}
