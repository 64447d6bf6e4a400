// The `roles` entries of `config.json`: decoded loosely, then checked one by one with errors naming the entry.

import DeAICore
import Foundation
import Ledger

/// The JSON shape of one `roles` entry: every field optional and `kind` a plain string, so that a missing or
/// unknown value is reported as `roles[N].field …` rather than as a decoding failure. Unknown keys are refused
/// (a misspelt `stake` must not silently mean "do not join").
struct RoleConfigurationFile: Codable {
    var kind: String?
    var task: UInt64?
    var key: String?
    var data: String?
    var target: String?
    var stake: Amount?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, task, key, data, target, stake
    }

    /// The keys of an entry, to refuse the unknown ones.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(_ role: RoleConfiguration) {
        self.kind = role.kind.rawValue
        self.task = role.taskID
        self.key = role.keyName
        self.data = role.dataFile
        self.target = role.targetColumn
        self.stake = role.stake
    }

    init(from decoder: any Decoder) throws {
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        let all = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        if let unknown = all.sorted().first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath + [AnyKey(stringValue: unknown)],
                    debugDescription: "unknown key; a role has "
                        + CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")
                )
            )
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.kind = try container.decodeIfPresent(String.self, forKey: .kind)
        self.task = try Self.count(.task, in: container)
        self.key = try container.decodeIfPresent(String.self, forKey: .key)
        self.data = try container.decodeIfPresent(String.self, forKey: .data)
        self.target = try container.decodeIfPresent(String.self, forKey: .target)
        self.stake = try Self.count(.stake, in: container)
    }

    /// A non-negative integer. A negative one gets its own error: Foundation's JSONDecoder on Linux reports it as
    /// invalid JSON without saying where.
    private static func count(_ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>) throws -> UInt64? {
        if let negative = try? container.decodeIfPresent(Int64.self, forKey: key), negative < 0 {
            throw DecodingError.dataCorrupted(
                .init(codingPath: container.codingPath + [key], debugDescription: "must not be negative (\(negative))")
            )
        }
        return try container.decodeIfPresent(UInt64.self, forKey: key)
    }

    /// The checked role of entry `index`.
    ///
    /// - Parameters:
    ///   - directory: Where a relative `data` path starts; `nil` for the current directory.
    ///   - invalid: Makes the error for a field (`roles[N].field`) and a reason.
    func role(
        at index: Int, relativeTo directory: String?, invalid: (String, String) -> NodeError
    ) throws -> RoleConfiguration {
        let field = { (name: String) in "roles[\(index)].\(name)" }
        guard let kindName = self.kind else {
            throw invalid(field("kind"), "is missing: use \"trainer\" or \"evaluator\"")
        }
        guard let kind = TaskRole(rawValue: kindName) else {
            throw invalid(field("kind"), "must be \"trainer\" or \"evaluator\", not \"\(kindName)\"")
        }
        guard let task = self.task else { throw invalid(field("task"), "is missing: give the task's identifier") }
        guard task > 0 else { throw invalid(field("task"), "must be a task identifier, 1 or more") }
        guard let key = self.key else { throw invalid(field("key"), "is missing: give the name of a key in keys/") }
        guard Keystore.isValidName(key) else {
            throw invalid(field("key"), "\"\(key)\" is not a key name: use 1 to 64 letters, digits, '-' or '_'")
        }
        guard let data = self.data, !data.isEmpty else {
            throw invalid(field("data"), "is missing: give the path of a CSV file")
        }
        if let target = self.target, target.isEmpty { throw invalid(field("target"), "must not be empty") }
        if let stake = self.stake, stake == 0 { throw invalid(field("stake"), "must be greater than zero") }
        return RoleConfiguration(
            kind: kind, taskID: task, keyName: key, dataFile: Self.absolute(data, relativeTo: directory),
            targetColumn: self.target, stake: self.stake
        )
    }

    /// `path` with `~` expanded, made absolute against `directory` (or the current directory).
    private static func absolute(_ path: String, relativeTo directory: String?) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        let base = directory ?? FileManager.default.currentDirectoryPath
        return (base as NSString).appendingPathComponent(expanded)
    }
}

extension [RoleConfiguration] {
    /// Refuses two roles of one key in one task: the chain gives a key one role per task.
    ///
    /// - Parameter invalid: Makes the error for an entry (`roles[N]`) and a reason.
    func checkDistinct(invalid: (String, String) -> NodeError) throws {
        var seen: [String: Int] = [:]
        for (index, role) in self.enumerated() {
            let identity = "\(role.taskID)/\(role.keyName)"
            if let first = seen[identity] {
                throw invalid(
                    "roles[\(index)]",
                    "gives key \"\(role.keyName)\" a second role in task \(role.taskID) (see roles[\(first)]): "
                        + "a key has one role per task"
                )
            }
            seen[identity] = index
        }
    }
}
