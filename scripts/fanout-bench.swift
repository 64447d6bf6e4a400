// Fan-out cost: DispatchQueue.concurrentPerform (synchronous) against withTaskGroup (async), both splitting a
// reduction over 2 lanes, at the sizes of the training kernels' parallel chunks. It measures what issue 14 asked:
// whether moving the kernels' CPU fan-out to structured concurrency would cost speed.
//
//   swiftc -O -parse-as-library scripts/fanout-bench.swift -o /tmp/fanout-bench && /tmp/fanout-bench

import Dispatch
import Foundation

/// One slot per lane, each written by its lane only and read after the fan-out returns.
final class LaneSums: @unchecked Sendable {
    var sums: [Double]
    init(_ lanes: Int) { self.sums = Array(repeating: 0, count: lanes) }
}

@inline(never)
func work(_ data: UnsafeBufferPointer<Float>, _ range: Range<Int>) -> Double {
    var sum: Double = 0
    for index in range { sum += Double(data[index]) * 1.0001 }
    return sum
}

func concurrentPerformSum(_ data: UnsafeBufferPointer<Float>, lanes: Int) -> Double {
    let out = LaneSums(lanes)
    let chunk = data.count / lanes
    DispatchQueue.concurrentPerform(iterations: lanes) { lane in
        out.sums[lane] = work(data, lane * chunk..<(lane + 1) * chunk)
    }
    return out.sums.reduce(0, +)
}

func taskGroupSum(_ data: UnsafeBufferPointer<Float>, lanes: Int) async -> Double {
    let chunk = data.count / lanes
    nonisolated(unsafe) let data = data
    return await withTaskGroup(of: Double.self) { group in
        for lane in 0..<lanes { group.addTask { work(data, lane * chunk..<(lane + 1) * chunk) } }
        var total = 0.0
        for await sum in group { total += sum }
        return total
    }
}

func microseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
}

@main
struct FanOutBench {
    static func main() async {
        for size in [8_192, 65_536, 1_048_576] {
            let storage = UnsafeMutableBufferPointer<Float>.allocate(capacity: size)
            defer { storage.deallocate() }
            for index in 0..<size { storage[index] = Float(index % 97) }
            nonisolated(unsafe) let data = UnsafeBufferPointer(storage)
            let iterations = max(20, 20_000_000 / size)
            var best = (perform: Double.infinity, group: Double.infinity)
            var checksum = 0.0
            for _ in 0..<5 {
                var started = ContinuousClock.now
                for _ in 0..<iterations { checksum += concurrentPerformSum(data, lanes: 2) }
                best.perform = min(best.perform, microseconds(ContinuousClock.now - started) / Double(iterations))
                started = ContinuousClock.now
                for _ in 0..<iterations { checksum += await taskGroupSum(data, lanes: 2) }
                best.group = min(best.group, microseconds(ContinuousClock.now - started) / Double(iterations))
            }
            func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
            print(
                "\(size) floats: concurrentPerform \(rounded(best.perform)) µs, task group \(rounded(best.group)) µs,"
                    + " task group / concurrentPerform \(rounded(best.group / best.perform))"
                    + (checksum.isNaN ? " (nan)" : ""))
        }
    }
}
