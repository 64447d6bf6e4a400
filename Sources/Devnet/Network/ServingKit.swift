// What a devnet left running gives `deai serve` and `deai infer`: funded keys and rows to ask about.

import DeAICore
import Foundation
import Learning
import Node

/// The files a devnet left running (`--keep-running`) writes for paid inference: a home
/// (`DIRECTORY/home`) whose keystore holds the keys `server` and `client` (unencrypted: a devnet's keys guard
/// nothing), both funded at genesis, and the test split, as the model takes it, in `DIRECTORY/test-rows.csv`
/// (one column per feature, then `label`).
public enum ServingKit {
    /// The home of the kit's keys in a devnet directory.
    public static func home(in directory: String) -> String { directory + "/home" }

    /// The test rows' file in a devnet directory.
    public static func rows(in directory: String) -> String { directory + "/test-rows.csv" }

    /// Writes the kit in `directory`.
    /// - Throws: ``Node/NodeError`` when a key cannot be stored, or a file-system error for the rows.
    static func write(in directory: String, server: SigningKey, client: SigningKey, test: Dataset) throws {
        let keystore = NodeHome(path: self.home(in: directory)).keystore
        try keystore.store(server, as: "server", passphrase: nil, overwrite: true)
        try keystore.store(client, as: "client", passphrase: nil, overwrite: true)
        let width = test.features.scalarCount / max(test.count, 1)
        var lines = [((1...max(width, 1)).map { "f\($0)" } + ["label"]).joined(separator: ",")]
        for row in 0..<test.count {
            let features = (0..<width).map { String(test.features.scalars[row * width + $0]) }
            lines.append((features + [String(test.labels[row])]).joined(separator: ","))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: self.rows(in: directory), atomically: true, encoding: .utf8)
    }
}
