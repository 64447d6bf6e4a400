// RandomNumberGenerator+Shuffle: a shuffle whose result is fixed by the generator's stream alone.

extension RandomNumberGenerator {
    /// An integer uniform in `0..<upperBound`, by Lemire's multiply-shift with rejection.
    ///
    /// Written out here, rather than using the standard library's `next(upperBound:)`, so that a seed gives the same
    /// partition on every platform and toolchain: the algorithm is part of the devnet's reproducibility.
    mutating func uniformIndex(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "upper bound must be positive")
        let bound = UInt64(upperBound)
        while true {
            let product = self.next().multipliedFullWidth(by: bound)
            if product.low >= (0 &- bound) % bound { return Int(product.high) }
        }
    }

    /// `values` in a random order (Fisher–Yates with ``uniformIndex(below:)``).
    /// - Complexity: O(values.count).
    mutating func shuffled<Element>(_ values: [Element]) -> [Element] {
        var values = values
        if values.count > 1 {
            for index in stride(from: values.count - 1, to: 0, by: -1) {
                values.swapAt(index, self.uniformIndex(below: index + 1))
            }
        }
        return values
    }
}
