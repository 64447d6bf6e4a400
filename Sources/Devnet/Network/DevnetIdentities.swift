// The keys of a devnet: one identity per node, derived from the run's seed.

import DeAICore
import Foundation

/// The identities of a devnet run: the validator, the sponsor, the data owners and the evaluators, each with its
/// own Ed25519 key. Keys are derived from the seed, so a run can be repeated exactly; they are devnet keys, public
/// knowledge to anyone who knows the seed, and never meant for a real network.
struct DevnetIdentities {
    let validator: SigningKey
    let validatorConsensus: SigningKey
    let sponsor: SigningKey
    let owners: [SigningKey]
    let evaluators: [SigningKey]
    /// The inference server of `--keep-running` (`deai serve --from server`).
    let server: SigningKey
    /// The inference client of `--keep-running` (`deai infer --from client`).
    let client: SigningKey

    init(options: DevnetOptions) throws {
        func key(_ role: String, _ index: Int) throws -> SigningKey {
            let material = Array("\(options.seed)/\(role)/\(index)".utf8)
            return try SigningKey(rawRepresentation: SHA256Digest(domain: "deai/devnet-key", hashing: material).bytes)
        }
        self.validator = try key("validator", 0)
        self.validatorConsensus = try key("consensus", 0)
        self.sponsor = try key("sponsor", 0)
        self.owners = try (0..<options.participants).map { try key("owner", $0) }
        self.evaluators = try (0..<options.evaluators).map { try key("evaluator", $0) }
        self.server = try key("server", 0)
        self.client = try key("client", 0)
    }
}

extension DevnetOptions {
    /// The name of data owner `index` for people.
    static func ownerName(_ index: Int) -> String { String(format: "owner-%02d", index + 1) }

    /// The name of evaluator `index` for people.
    static func evaluatorName(_ index: Int) -> String { "evaluator-\(index + 1)" }
}
