// A governance proposal and its life cycle.

public import DeAICore

/// Where a proposal is in its life cycle.
public enum ProposalStatus: String, Sendable, Hashable, Codable {
    /// Collecting deposits until the minimum is reached or the deposit period ends.
    case depositPeriod = "deposit_period"
    /// Open for votes until ``Proposal/votingEndHeight``.
    case voting
    /// Passed and executed.
    case passed
    /// Tallied and not passed (or its deposit never reached the minimum).
    case rejected
    /// Passed, but executing it failed (for example, the treasury could not pay).
    case failed

    fileprivate var tag: UInt8 {
        switch self {
        case .depositPeriod: 1
        case .voting: 2
        case .passed: 3
        case .rejected: 4
        case .failed: 5
        }
    }

    fileprivate init?(tag: UInt8) {
        switch tag {
        case 1: self = .depositPeriod
        case 2: self = .voting
        case 3: self = .passed
        case 4: self = .rejected
        case 5: self = .failed
        default: return nil
        }
    }
}

/// Stake-weighted vote totals of a proposal.
public struct TallyResult: Sendable, Hashable, Codable {
    public var yes: Amount = 0
    public var no: Amount = 0
    public var abstain: Amount = 0
    public var noWithVeto: Amount = 0

    /// Empty totals.
    public init() {}

    /// All voting power that voted.
    public var total: Amount { self.yes &+ self.no &+ self.abstain &+ self.noWithVeto }

    /// Adds `power` to `option`'s total.
    public mutating func add(_ power: Amount, for option: VoteOption) {
        switch option {
        case .yes: self.yes &+= power
        case .no: self.no &+= power
        case .abstain: self.abstain &+= power
        case .noWithVeto: self.noWithVeto &+= power
        }
    }
}

/// A governance proposal.
public struct Proposal: Sendable, Hashable {
    /// Sequential identifier, starting at 1.
    public var id: UInt64
    /// Who submitted it.
    public var proposer: Address
    /// What it would do.
    public var content: ProposalContent
    /// Current status.
    public var status: ProposalStatus
    /// Height of submission.
    public var submitHeight: Height
    /// Last height at which deposits are accepted while in the deposit period.
    public var depositEndHeight: Height
    /// Height at whose end the votes are tallied (0 until voting starts).
    public var votingEndHeight: Height
    /// Total deposited.
    public var totalDeposit: Amount
    /// Deposits per depositor, in address order, returned unless the proposal is vetoed.
    public var deposits: [Address: Amount]
    /// The final tally, once tallied.
    public var tally: TallyResult?
    /// Why it was rejected or failed, as a code (``ProposalFailure/description`` gives the words).
    public var failure: ProposalFailure?

    /// A proposal with every field given.
    public init(
        id: UInt64, proposer: Address, content: ProposalContent, status: ProposalStatus, submitHeight: Height,
        depositEndHeight: Height, votingEndHeight: Height = 0, totalDeposit: Amount = 0,
        deposits: [Address: Amount] = [:], tally: TallyResult? = nil, failure: ProposalFailure? = nil
    ) {
        self.id = id
        self.proposer = proposer
        self.content = content
        self.status = status
        self.submitHeight = submitHeight
        self.depositEndHeight = depositEndHeight
        self.votingEndHeight = votingEndHeight
        self.totalDeposit = totalDeposit
        self.deposits = deposits
        self.tally = tally
        self.failure = failure
    }
}

extension Proposal: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.id)
        encoder.encode(self.proposer)
        encoder.encode(self.content)
        encoder.encode(self.status.tag)
        encoder.encode(self.submitHeight)
        encoder.encode(self.depositEndHeight)
        encoder.encode(self.votingEndHeight)
        encoder.encode(self.totalDeposit)
        let depositors = self.deposits.keys.sorted()
        encoder.encode(UInt64(depositors.count))
        for depositor in depositors {
            encoder.encode(depositor)
            encoder.encode(self.deposits[depositor] ?? 0)
        }
        encoder.encode(self.tally)
        encoder.encode(self.failure)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.id = try decoder.decodeUInt64()
        self.proposer = try decoder.decode(Address.self)
        self.content = try decoder.decode(ProposalContent.self)
        let statusOffset = decoder.offset
        let statusTag = try decoder.decodeUInt8()
        guard let status = ProposalStatus(tag: statusTag) else {
            throw .unknownTag(offset: statusOffset, tag: statusTag, type: "ProposalStatus")
        }
        self.status = status
        self.submitHeight = try decoder.decodeUInt64()
        self.depositEndHeight = try decoder.decodeUInt64()
        self.votingEndHeight = try decoder.decodeUInt64()
        self.totalDeposit = try decoder.decodeUInt64()
        let count = try decoder.decodeUInt64()
        var deposits: [Address: Amount] = [:]
        var previous: Address?
        for _ in 0..<min(count, 1 << 20) {
            let offset = decoder.offset
            let depositor = try decoder.decode(Address.self)
            if let previous, previous >= depositor {
                throw .invalidValue(offset: offset, reason: "depositors are not in strictly increasing order")
            }
            previous = depositor
            deposits[depositor] = try decoder.decodeUInt64()
        }
        self.deposits = deposits
        self.tally = try decoder.decodeOptional(TallyResult.self)
        self.failure = try decoder.decodeOptional(ProposalFailure.self)
    }
}

extension TallyResult: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.yes)
        encoder.encode(self.no)
        encoder.encode(self.abstain)
        encoder.encode(self.noWithVeto)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.yes = try decoder.decodeUInt64()
        self.no = try decoder.decodeUInt64()
        self.abstain = try decoder.decodeUInt64()
        self.noWithVeto = try decoder.decodeUInt64()
    }
}
