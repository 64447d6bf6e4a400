// DeAICoreTests: loads known-answer vector files from the test bundle.

import Foundation

/// Loads the JSON vector files in `Vectors/` (copied into the test bundle).
enum Vectors {
    /// Decodes `Vectors/<name>.json` as `type`.
    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors") else {
            throw VectorFileMissing(name: name)
        }
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    /// A vector file was not found in the bundle.
    struct VectorFileMissing: Error, CustomStringConvertible {
        var name: String
        var description: String { "vector file Vectors/\(self.name).json is not in the test bundle" }
    }
}

/// The common shape of a vector file: where the vectors come from, and the list.
struct VectorFile<Vector: Decodable & Sendable>: Decodable, Sendable {
    var source: String
    var vectors: [Vector]
}
