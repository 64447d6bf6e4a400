// The services of config.json's roles: each role's CSV read and its key unlocked before the node starts.

import DeAICore
import Foundation
import Learning
public import Logging
public import Node

extension ParticipantService {
    /// The services of `roles`, in order. Every role's data is read and its key unlocked now, so that a bad entry
    /// refuses the node's start with an error naming it (`roles[1].data: …`) instead of failing later.
    ///
    /// A role keeps its blobs in `data/participants/KEY/blobs` under the home (its own store, as any participant
    /// has: the node's store is the node's).
    ///
    /// - Parameters:
    ///   - home: The node's home: its keystore and data directory.
    ///   - passphrase: Decrypts the roles' encrypted keys (one passphrase for all); `nil` when none is.
    ///   - chainID: The chain the roles sign for.
    ///   - endpoint: Where the node's API will answer.
    /// - Throws: ``Node/NodeError`` naming the configuration file and the entry: `invalidConfiguration` for data
    ///   that cannot be read or parsed; the keystore's codes (`keyNotFound`, `passphraseRequired`,
    ///   `wrongPassphrase`, `invalidKeyFile`) for a key that cannot be used.
    public static func services(
        for roles: [RoleConfiguration], home: NodeHome, passphrase: String?, chainID: String, endpoint: NodeEndpoint,
        logger: Logger
    ) throws -> [ParticipantService] {
        try roles.enumerated().map { index, role in
            let entry = "configuration file \(home.configurationFile): roles[\(index)]"
            let data = try Self.data(of: role, entry: entry)
            let key: SigningKey
            do {
                key = try home.keystore.signingKey(role.keyName, passphrase: passphrase)
            } catch let error as NodeError {
                throw NodeError(error.code, "\(entry).key: \(error.message)", cause: error.cause)
            }
            let commitment: SHA256Digest
            do {
                commitment = SHA256Digest(hashing: try Data(contentsOf: URL(fileURLWithPath: role.dataFile)))
            } catch {
                throw NodeError(.invalidConfiguration, "\(entry).data: cannot read \(role.dataFile): \(error)")
            }
            return ParticipantService(
                kind: role.kind, taskID: role.taskID, data: data, dataCommitment: commitment, key: key,
                stake: role.stake, chainID: chainID,
                blobDirectory: home.file("data/participants/\(role.keyName)/blobs"), endpoint: endpoint,
                logger: logger
            )
        }
    }

    /// The role's CSV, read and checked for what can be checked before the task is known: a well-formed table
    /// with rows, and the target column when one is named.
    /// - Throws: ``Node/NodeError`` (`invalidConfiguration`) naming the field and the file.
    static func data(of role: RoleConfiguration, entry: String) throws -> RoleData {
        let path = role.dataFile
        guard FileManager.default.fileExists(atPath: path) else {
            throw NodeError(.invalidConfiguration, "\(entry).data: there is no file \(path)")
        }
        do {
            return try RoleData(path: path, targetColumn: role.targetColumn)
        } catch LearningError.unknownColumn(let name, let available) {
            throw NodeError(
                .invalidConfiguration,
                "\(entry).target: \(path) has no column \"\(name)\" (columns: \(available.joined(separator: ", ")))"
            )
        } catch {
            throw NodeError(.invalidConfiguration, "\(entry).data: \(path) is not a CSV table with a header and rows: \(error)")
        }
    }
}
