// FuzzSeeds: fixed keys and values for reproducible seed corpora.

public import DeAICore
import Foundation

/// Deterministic material for seeds, so that regenerating the corpus writes the same files.
public enum FuzzSeeds {
    /// The signing key whose 32 bytes are all `byte`.
    public static func signingKey(_ byte: UInt8) -> SigningKey {
        // 32 bytes are always a valid Ed25519 seed.
        try! SigningKey(rawRepresentation: [UInt8](repeating: byte, count: 32))
    }

    /// A digest that depends only on `label`.
    public static func digest(_ label: String) -> SHA256Digest {
        SHA256Digest(domain: "deai/fuzz-seed", hashing: Array(label.utf8))
    }

    /// Each seed with the selector byte `mode` in front, its name prefixed by `prefix`.
    public static func selected(
        _ mode: UInt8,
        _ prefix: String,
        _ seeds: [(name: String, bytes: [UInt8])]
    ) -> [(name: String, bytes: [UInt8])] {
        seeds.map { ("\(prefix)-\($0.name)", [mode] + $0.bytes) }
    }
}
