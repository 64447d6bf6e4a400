// ProposalFailure: why a governance proposal did not take effect, as a code the state can hold.

public import DeAICore

/// Why a proposal was rejected or failed. The state holds the code (consensus data) and ``description`` gives the
/// words, so rewording them never changes a state root.
public enum ProposalFailure: Sendable, Hashable, CanonicalCodable, CustomStringConvertible {
    /// The deposit did not reach the minimum before the deposit period ended.
    case depositNotReached
    /// The voters held less than the quorum of bonded stake.
    case quorumNotReached
    /// Too many votes were veto: the deposits were burned.
    case vetoed
    /// The yes share did not pass the threshold.
    case thresholdNotPassed
    /// It passed but could not be executed, for the ledger error of this code.
    case executionFailed(code: UInt16)

    /// The frozen tag of each case.
    private var tag: UInt8 {
        switch self {
        case .depositNotReached: 1
        case .quorumNotReached: 2
        case .vetoed: 3
        case .thresholdNotPassed: 4
        case .executionFailed: 5
        }
    }

    public var description: String {
        switch self {
        case .depositNotReached: "the deposit did not reach the minimum in time"
        case .quorumNotReached: "quorum not reached"
        case .vetoed: "vetoed: deposits burned"
        case .thresholdNotPassed: "the yes share did not pass the threshold"
        case .executionFailed(let code): "it passed but could not be executed (ledger error \(code))"
        }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.tag)
        if case .executionFailed(let code) = self { encoder.encode(code) }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let offset = decoder.offset
        switch try decoder.decodeUInt8() {
        case 1: self = .depositNotReached
        case 2: self = .quorumNotReached
        case 3: self = .vetoed
        case 4: self = .thresholdNotPassed
        case 5: self = .executionFailed(code: try decoder.decodeUInt16())
        case let tag: throw .unknownTag(offset: offset, tag: tag, type: "ProposalFailure")
        }
    }
}
