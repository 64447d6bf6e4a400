// Helpers shared by the Learning tests.

import Foundation
import Learning

/// The shared data sets directory (`../shared/datasets` next to the package root), or nil when absent.
let datasetsDirectory: String? = {
    var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while directory.path != "/" {
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            let candidate = directory.deletingLastPathComponent().appendingPathComponent("shared/datasets")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("digits.csv").path) {
                return candidate.path
            }
        }
        directory = directory.deletingLastPathComponent()
    }
    return nil
}()

/// The python of the PyTorch peers venv (created by `../shared/peers/setup.sh`), or nil when absent.
let peersPython: String? = {
    let home = ProcessInfo.processInfo.environment["DEAI_PEERS_VENV"]
        ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache/deai-peers")
    let python = (home as NSString).appendingPathComponent("bin/python")
    return FileManager.default.isExecutableFile(atPath: python) ? python : nil
}()

/// A tensor of the given shape with values uniform in [-scale, scale) from a seeded generator.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) throws -> Tensor {
    var generator = Xoshiro256(seed: seed)
    let count = shape.reduce(1, *)
    return try Tensor(shape: shape, scalars: (0..<count).map { _ in
        Float(generator.next() >> 40) * 0x1p-24 * 2 * scale - scale
    })
}

/// Loads a CSV data set of `../shared/datasets` and standardizes it with the training statistics; without a test
/// file, splits 75/25 stratified with seed 0.
func loadStandardized(train: String, test: String? = nil) throws -> (train: Dataset, test: Dataset) {
    let directory = datasetsDirectory ?? ""
    var trainSet = try CSVTable(contentsOf: "\(directory)/\(train)").dataset()
    var testSet: Dataset
    if let test {
        testSet = try CSVTable(contentsOf: "\(directory)/\(test)").dataset()
    } else {
        var generator = Xoshiro256(seed: 0)
        (trainSet, testSet) = try trainSet.stratifiedSplit(testFraction: 0.25, using: &generator)
    }
    let standardizer = Standardizer(fitting: trainSet)
    return (try standardizer.apply(to: trainSet), try standardizer.apply(to: testSet))
}
