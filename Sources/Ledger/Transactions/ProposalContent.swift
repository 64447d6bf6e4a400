// What a governance proposal would do if it passed.

public import DeAICore

/// The content of a governance proposal: what the chain executes when it passes.
public enum ProposalContent: Sendable, Hashable {
    /// A signal with no on-chain effect.
    case text(title: String, description: String)
    /// Sets chain parameters (by their snake_case names) to new values.
    case parameterChange(title: String, changes: [ParameterChange])
    /// Pays `amount` from the treasury to `recipient`.
    case treasurySpend(title: String, recipient: Address, amount: Amount)

    /// The proposal's title.
    public var title: String {
        switch self {
        case .text(let title, _), .parameterChange(let title, _), .treasurySpend(let title, _, _): title
        }
    }

    /// A short name of the kind of proposal.
    public var kind: String {
        switch self {
        case .text: "text"
        case .parameterChange: "parameter_change"
        case .treasurySpend: "treasury_spend"
        }
    }

    /// Checks what can be checked at submission: a title, known parameters with allowed values.
    public func validate() throws(LedgerError) {
        guard !self.title.isEmpty else { throw .invalidProposal(reason: "the title is empty") }
        switch self {
        case .text: break
        case .parameterChange(_, let changes):
            guard !changes.isEmpty else { throw .invalidProposal(reason: "no parameter changes") }
            for change in changes { try ChainParameters.validate(change.name, change.value) }
        case .treasurySpend(_, _, let amount):
            guard amount > 0 else { throw .zeroAmount }
        }
    }
}

/// One parameter set to a new value by a passed proposal.
public struct ParameterChange: Sendable, Hashable, Codable, CanonicalCodable {
    /// The parameter's snake_case name, as in ``ChainParameters/names``.
    public var name: String
    /// The new value.
    public var value: UInt64

    /// A change of `name` to `value`.
    public init(name: String, value: UInt64) {
        self.name = name
        self.value = value
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.name)
        encoder.encode(self.value)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.name = try decoder.decodeString(maxBytes: 64)
        self.value = try decoder.decodeUInt64()
    }
}

/// A vote on a proposal. Raw values are frozen canonical tags.
public enum VoteOption: UInt8, Sendable, Hashable, Codable, CaseIterable {
    case yes = 1
    case no = 2
    case abstain = 3
    /// A no that also rejects the proposal outright and burns its deposits when it reaches the veto share.
    case noWithVeto = 4

    /// The option's name in the CLI and the API.
    public var name: String {
        switch self {
        case .yes: "yes"
        case .no: "no"
        case .abstain: "abstain"
        case .noWithVeto: "veto"
        }
    }

    /// Parses `yes`, `no`, `abstain` or `veto`.
    public init?(name: String) {
        guard let option = Self.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = option
    }
}

extension ProposalContent: CanonicalCodable {
    private enum Tag: UInt8 {
        case text = 1
        case parameterChange = 2
        case treasurySpend = 3
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .text(let title, let description):
            encoder.encode(Tag.text.rawValue)
            encoder.encode(title)
            encoder.encode(description)
        case .parameterChange(let title, let changes):
            encoder.encode(Tag.parameterChange.rawValue)
            encoder.encode(title)
            encoder.encode(changes)
        case .treasurySpend(let title, let recipient, let amount):
            encoder.encode(Tag.treasurySpend.rawValue)
            encoder.encode(title)
            encoder.encode(recipient)
            encoder.encode(amount)
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let offset = decoder.offset
        let rawTag = try decoder.decodeUInt8()
        guard let tag = Tag(rawValue: rawTag) else {
            throw .unknownTag(offset: offset, tag: rawTag, type: "ProposalContent")
        }
        let title = try decoder.decodeString(maxBytes: 140)
        switch tag {
        case .text: self = .text(title: title, description: try decoder.decodeString(maxBytes: 4_096))
        case .parameterChange:
            self = .parameterChange(title: title, changes: try decoder.decodeArray(of: ParameterChange.self, maxCount: 32))
        case .treasurySpend:
            self = .treasurySpend(title: title, recipient: try decoder.decode(Address.self), amount: try decoder.decodeUInt64())
        }
    }
}
