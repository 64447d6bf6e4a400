// The normal deviates and the Poisson samples DP-SGD draws, against their distributions.

import Foundation
import Learning
import Testing

@Suite("Sampling for DP-SGD")
struct SamplingTests {
    /// Φ(x), the standard normal distribution function.
    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.squareRoot()) }

    @Test("a million ziggurat deviates are standard normal: Kolmogorov–Smirnov, moments and both tails")
    func zigguratIsNormal() {
        var generator = Xoshiro256(seed: 41)
        let count = 1_000_000
        let samples = (0..<count).map { _ in generator.nextGaussian() }.sorted()
        // The largest gap between the empirical and the normal distribution function; 1.95/√n is the 0.1 % level.
        var distance = 0.0
        for (rank, x) in samples.enumerated() {
            let cdf = Self.normalCDF(x)
            distance = max(distance, abs(Double(rank + 1) / Double(count) - cdf), abs(Double(rank) / Double(count) - cdf))
        }
        #expect(distance < 1.95 / Double(count).squareRoot(), "KS distance \(distance)")
        let mean = samples.reduce(0, +) / Double(count)
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count)
        let kurtosis = samples.reduce(0) { $0 + pow($1 - mean, 4) } / Double(count) / (variance * variance)
        #expect(abs(mean) < 0.005 && abs(variance - 1) < 0.005 && abs(kurtosis - 3) < 0.03,
                "mean \(mean), variance \(variance), kurtosis \(kurtosis)")
        // Beyond the ziggurat's tail start (3.44) and further out, on each side: counts within 5 standard deviations.
        for threshold in [3.442619855899, 4.0] {
            let expected = Double(count) * Self.normalCDF(-threshold)
            for side in [samples.filter { $0 > threshold }.count, samples.filter { $0 < -threshold }.count] {
                #expect(abs(Double(side) - expected) < 5 * expected.squareRoot(), "beyond ±\(threshold): \(side) against \(expected)")
            }
        }
    }

    @Test("Poisson sampling takes each index with probability q, independently, in order")
    func poissonSampling() {
        var generator = Xoshiro256(seed: 7)
        let (count, rate, draws) = (1_000, 0.05, 4_000)
        var sizes: [Int] = []
        var taken = [Int](repeating: 0, count: count)
        for _ in 0..<draws {
            let sample = generator.poissonSample(of: count, rate: rate)
            #expect(zip(sample, sample.dropFirst()).allSatisfy { $0 < $1 } && sample.allSatisfy { (0..<count).contains($0) })
            sizes.append(sample.count)
            for index in sample { taken[index] += 1 }
        }
        let mean = Double(sizes.reduce(0, +)) / Double(draws)
        let variance = sizes.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(draws)
        // Binomial(1000, 0.05): mean 50, variance 47.5.
        #expect(abs(mean - 50) < 0.5 && abs(variance - 47.5) < 5, "mean \(mean), variance \(variance)")
        // Each index taken Binomial(4000, 0.05) times: 200 ± 5 standard deviations of 13.8.
        #expect(taken.allSatisfy { abs($0 - 200) < 69 }, "\(taken.min() ?? 0)…\(taken.max() ?? 0)")
        #expect(generator.poissonSample(of: 17, rate: 1) == Array(0..<17))
    }
}
