// DevnetDataset+Loading: reads a devnet data set from the Devnet resource bundle.

import Foundation
import Learning

extension DevnetDataset {
    /// The seed of the train/test split of data sets that ship as one file: fixed, so that every node and every
    /// run uses the same test set.
    public static let splitSeed: UInt64 = 0

    /// The fraction of a single-file data set held out for testing.
    public static let testFraction = 0.25

    /// Reads the data set from the resource bundle, splits it and standardizes it.
    ///
    /// Breast cancer and digits are split 75/25, stratified by class, with `Xoshiro256(seed: splitSeed)`;
    /// MNIST-1D has its own train and test files. The standardizer is fitted on the training split only.
    /// - Parameter splitSeed: the seed of the stratified split (ignored for MNIST-1D).
    /// - Throws: ``DevnetDataError/missingResource(file:bundlePath:)`` when a file is missing from the bundle;
    ///   ``Learning/LearningError/malformedData(file:line:reason:)`` when a file cannot be parsed.
    /// - Complexity: O(file size); MNIST-1D, the largest, loads in well under a second in release builds.
    public func load(splitSeed: UInt64 = DevnetDataset.splitSeed) throws -> DevnetData {
        let tables = try self.files.map { try CSVTable(contentsOf: try Self.resourcePath(of: $0)) }
        let sets = try tables.map { try $0.dataset() }
        if sets.count == 2 {
            return try DevnetData(dataset: self, rawTrain: sets[0], rawTest: sets[1])
        }
        var generator = Xoshiro256(seed: splitSeed)
        let (train, test) = try sets[0].stratifiedSplit(testFraction: Self.testFraction, using: &generator)
        return try DevnetData(dataset: self, rawTrain: train, rawTest: test)
    }

    /// The path of a resource file in the bundle's `Datasets` folder.
    private static func resourcePath(of file: String) throws -> String {
        let name = (file as NSString).deletingPathExtension
        let type = (file as NSString).pathExtension
        guard let url = Bundle.module.url(forResource: name, withExtension: type, subdirectory: "Datasets") else {
            throw DevnetDataError.missingResource(file: file, bundlePath: Bundle.module.bundlePath)
        }
        return url.path
    }
}
