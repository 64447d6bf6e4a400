// ConfigurationKeys: the keys config.json knows, so that a misspelt one is an error naming the closest known key.

import Foundation

/// The keys `config.json` knows, object by object. A key that is not among them is refused, naming the closest
/// known key: a misspelt `blok_interval_ms` must not silently leave the default in place.
enum ConfigurationKeys {
    /// What a key holds: a value, or an object whose own keys are checked too.
    indirect enum Entry {
        case value
        case object([String: Entry])
    }

    /// The keys of `config.json`, from the coding keys of its file types. A `roles` entry checks its own keys
    /// (``RoleConfigurationFile``).
    static let file: [String: Entry] = keys(of: ConfigurationFile.CodingKeys.self, objects: [
        "api": .object(keys(of: ConfigurationFile.API.CodingKeys.self)),
        "blobs": .object(keys(of: ConfigurationFile.Blobs.CodingKeys.self)),
        "mempool": .object(keys(of: ConfigurationFile.Mempool.CodingKeys.self)),
        "p2p": .object(keys(of: PeerNetworkFile.CodingKeys.self)),
        "consensus": .object(keys(of: ConsensusFile.CodingKeys.self)),
    ])

    /// Every key of `type`, holding a value unless `objects` says it holds an object.
    private static func keys<Key: CodingKey & CaseIterable>(of type: Key.Type, objects: [String: Entry] = [:])
        -> [String: Entry]
    {
        Dictionary(uniqueKeysWithValues: Key.allCases.map { ($0.stringValue, objects[$0.stringValue] ?? .value) })
    }

    /// The first key of `json` (in sorted order, object by object) that ``file`` does not know, as a sentence:
    /// `unknown key 'blok_interval_ms' (did you mean 'block_interval_ms'?)`; `nil` when every key is known or
    /// `json` is not an object (decoding reports that).
    static func unknownKey(in json: Data) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] else { return nil }
        return self.unknownKey(in: object, known: self.file, path: "")
    }

    private static func unknownKey(in object: [String: Any], known: [String: Entry], path: String) -> String? {
        for key in object.keys.sorted() {
            let name = path.isEmpty ? key : path + "." + key
            guard let entry = known[key] else {
                let closest = known.keys.sorted().min { editDistance($0, key) < editDistance($1, key) }
                let hint = closest.flatMap { editDistance($0, key) <= max(2, key.count / 3) ? $0 : nil }
                    .map { " (did you mean '\(path.isEmpty ? $0 : path + "." + $0)'?)" }
                return "unknown key '\(name)'" + (hint ?? "; the keys are listed in docs/CLI.md")
            }
            if case .object(let keys) = entry, let inner = object[key] as? [String: Any],
                let unknown = self.unknownKey(in: inner, known: keys, path: name)
            {
                return unknown
            }
        }
        return nil
    }

    /// The Levenshtein distance between `a` and `b`: insertions, deletions and substitutions of characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let (a, b) = (Array(a), Array(b))
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
