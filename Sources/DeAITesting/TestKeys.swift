// DeAITesting: deterministic Ed25519 keys for tests.

public import DeAICore
import Foundation

/// Deterministic signing keys for tests: key `i` is the same in every run and on every machine.
///
/// The seed of key `i` is SHA-256 of the UTF-8 string `"deai-test-key"` followed by `i` in decimal. These
/// keys are public knowledge: never use them outside tests.
public enum TestKeys {
    /// The test key with the given index.
    public static func signingKey(_ index: Int) -> SigningKey {
        let seed = SHA256Digest(hashing: Array("deai-test-key\(index)".utf8))
        do {
            return try SigningKey(rawRepresentation: seed.bytes)
        } catch {
            preconditionFailure("TestKeys: a 32-byte seed is always a valid Ed25519 key (\(error))")
        }
    }
}
