// AttackSpec: an attack and its strengths, as written on the command line (`alie:z=1.5`).

/// An attack with its strengths, read from and written as `name[:parameter=value[,parameter=value…]]`:
/// `sign_flip:scale=0.3`, `alie:z=1.5`, `ipm:epsilon=0.1`, `gaussian:sigma=200`, `boosted:factor=10`,
/// `backdoor:target=0,fraction=0.5`, `sybil:k=3`. A strength left out keeps its default (see
/// ``AttackConfiguration``); ``usage`` lists every attack's strengths.
///
/// ```swift
/// let spec = try AttackSpec(parsing: "alie:z=2")
/// spec.attack                          // .alie
/// spec.configuration.alieDeviations    // 2
/// spec.description                     // "alie:z=2"
/// ```
public struct AttackSpec: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The behaviour.
    public var attack: Attack
    /// Its strengths (and the defaults of every other attack's).
    public var configuration: AttackConfiguration

    /// `attack` with `configuration`'s strengths.
    public init(attack: Attack, configuration: AttackConfiguration = AttackConfiguration()) {
        self.attack = attack
        self.configuration = configuration
    }

    /// Reads `name[:parameter=value[,parameter=value…]]`.
    /// - Throws: ``FederationError/invalidParameter(name:reason:)`` naming `attack` for an unknown attack, or
    ///   `name:parameter` (e.g. `alie:q`) for an unknown, repeated, malformed or out-of-range strength.
    public init(parsing text: String) throws(FederationError) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        guard let attack = Attack(rawValue: name) else {
            throw .invalidParameter(
                name: "attack",
                reason: "unknown attack '\(name)'; known: \(Attack.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.init(attack: attack)
        guard parts.count == 2 else { return }
        var seen: Set<String> = []
        for assignment in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
            let pair = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(pair[0])
            guard let parameter = attack.parameters.first(where: { $0.name == key }) else {
                let known = attack.parameters.map(\.name)
                throw .invalidParameter(
                    name: "\(name):\(key)",
                    reason: known.isEmpty
                        ? "\(name) takes no strength"
                        : "unknown strength '\(key)' of \(name); it takes \(known.joined(separator: ", "))")
            }
            guard pair.count == 2, let value = Double(pair[1]), value.isFinite else {
                throw .invalidParameter(name: "\(name):\(key)", reason: "write \(key)=<number>")
            }
            guard seen.insert(key).inserted else {
                throw .invalidParameter(name: "\(name):\(key)", reason: "given twice")
            }
            try parameter.set(value, in: &self.configuration, attack: name)
        }
    }

    /// The canonical text: the name, then every strength the attack has with its value (`alie:z=1.5`);
    /// ``init(parsing:)`` reads it back to an equal value.
    public var description: String {
        let strengths = self.attack.parameters.map { "\($0.name)=\($0.text(of: self.configuration))" }
        return strengths.isEmpty ? self.attack.rawValue : "\(self.attack.rawValue):\(strengths.joined(separator: ","))"
    }

    /// Every attack with its strengths and their defaults, for help texts: `sign_flip[:scale=1]`, `label_flip`, ….
    public static var usage: [String] {
        Attack.allCases.map { attack in
            let strengths = attack.parameters.map { "\($0.name)=\($0.text(of: AttackConfiguration()))" }
            return strengths.isEmpty ? attack.rawValue : "\(attack.rawValue)[:\(strengths.joined(separator: ","))]"
        }
    }
}

// MARK: - Strengths

/// One strength of an attack: its name in the text, the field of ``AttackConfiguration`` it sets, and its range.
private struct AttackParameter {
    /// Where the value goes, and whether it must be a whole number.
    enum Field {
        case real(WritableKeyPath<AttackConfiguration, Float>)
        case integer(WritableKeyPath<AttackConfiguration, Int>)
    }

    /// The values a strength accepts.
    enum Bounds {
        case positive
        case nonNegative
        case fraction
        case atLeastOne
        case any

        func admits(_ value: Double) -> Bool {
            switch self {
            case .any: true
            case .positive: value > 0
            case .nonNegative: value >= 0
            case .fraction: value > 0 && value <= 1
            case .atLeastOne: value >= 1
            }
        }

        var text: String {
            switch self {
            case .any: "must be a number"
            case .positive: "must be positive"
            case .nonNegative: "must be at least 0"
            case .fraction: "must lie in (0, 1]"
            case .atLeastOne: "must be at least 1"
            }
        }
    }

    let name: String
    let field: Field
    let bounds: Bounds

    func set(_ value: Double, in configuration: inout AttackConfiguration, attack: String) throws(FederationError) {
        guard self.bounds.admits(value) else {
            throw .invalidParameter(name: "\(attack):\(self.name)", reason: "\(self.bounds.text), got \(value)")
        }
        switch self.field {
        case .real(let path):
            configuration[keyPath: path] = Float(value)
        case .integer(let path):
            guard value == value.rounded(), value <= Double(Int32.max) else {
                throw .invalidParameter(name: "\(attack):\(self.name)", reason: "must be a whole number, got \(value)")
            }
            configuration[keyPath: path] = Int(value)
        }
    }

    func text(of configuration: AttackConfiguration) -> String {
        switch self.field {
        case .real(let path):
            let value = configuration[keyPath: path]
            return value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : "\(value)"
        case .integer(let path):
            return String(configuration[keyPath: path])
        }
    }
}

extension Attack {
    /// The strengths this attack takes, in the order the canonical text writes them.
    fileprivate var parameters: [AttackParameter] {
        switch self {
        case .signFlip: [AttackParameter(name: "scale", field: .real(\.signFlipScale), bounds: .positive)]
        case .gaussianNoise: [AttackParameter(name: "sigma", field: .real(\.noiseStandardDeviation), bounds: .positive)]
        case .boosted: [AttackParameter(name: "factor", field: .real(\.boostFactor), bounds: .positive)]
        case .copycat: [AttackParameter(name: "noise", field: .real(\.copycatNoise), bounds: .nonNegative)]
        case .countLiar: [AttackParameter(name: "factor", field: .integer(\.claimFactor), bounds: .atLeastOne)]
        case .alie: [AttackParameter(name: "z", field: .real(\.alieDeviations), bounds: .nonNegative)]
        case .ipm: [AttackParameter(name: "epsilon", field: .real(\.ipmEpsilon), bounds: .positive)]
        case .sybil: [AttackParameter(name: "k", field: .integer(\.sybilIdentities), bounds: .atLeastOne)]
        case .backdoor:
            [
                AttackParameter(name: "target", field: .integer(\.backdoor.target), bounds: .nonNegative),
                AttackParameter(name: "fraction", field: .real(\.backdoor.fraction), bounds: .fraction),
                AttackParameter(name: "width", field: .integer(\.backdoor.width), bounds: .atLeastOne),
                AttackParameter(name: "value", field: .real(\.backdoor.value), bounds: .any),
            ]
        case .labelFlip, .freeRiderZeros, .freeRiderReplay, .noReveal: []
        }
    }
}
