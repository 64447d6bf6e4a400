// The keys under which the state is committed.

public import DeAICore

/// The key of one entry of the committed state.
///
/// The state is a sorted key-value map whose Merkle root is every block header's `stateRoot`. The byte layout of
/// each key is frozen: a one-byte prefix per kind of entry, then fixed-width fields (big-endian integers), so that
/// the sort order groups entries by kind.
public enum StateKey: Sendable, Hashable {
    case account(Address)
    case validator(Address)
    case delegation(DelegationKey)
    case unbonding(id: UInt64)
    case proposal(id: UInt64)
    case vote(proposalID: UInt64, voter: Address)
    case parameters
    case globals
    case task(id: UInt64)
    case taskMember(taskID: UInt64, member: Address)
    case round(taskID: UInt64, number: UInt32)
    case modelVersion(taskID: UInt64, version: UInt32)
    case channel(id: UInt64)
    case serverBond(Address)
    case inferenceEarning(InferenceEarningKey)

    private enum Prefix: UInt8 {
        case account = 0x01
        case validator = 0x02
        case delegation = 0x03
        case unbonding = 0x04
        case proposal = 0x05
        case vote = 0x06
        case parameters = 0x07
        case globals = 0x08
        case task = 0x09
        case taskMember = 0x0A
        case round = 0x0B
        case modelVersion = 0x0C
        case channel = 0x0D
        case serverBond = 0x0E
        case inferenceEarning = 0x0F
    }

    /// The key's frozen byte layout.
    public var bytes: [UInt8] {
        switch self {
        case .account(let address): [Prefix.account.rawValue] + address.bytes
        case .validator(let address): [Prefix.validator.rawValue] + address.bytes
        case .delegation(let key): [Prefix.delegation.rawValue] + key.delegator.bytes + key.validator.bytes
        case .unbonding(let id): [Prefix.unbonding.rawValue] + Self.bigEndian(id)
        case .proposal(let id): [Prefix.proposal.rawValue] + Self.bigEndian(id)
        case .vote(let proposalID, let voter): [Prefix.vote.rawValue] + Self.bigEndian(proposalID) + voter.bytes
        case .parameters: [Prefix.parameters.rawValue]
        case .globals: [Prefix.globals.rawValue]
        case .task(let id): [Prefix.task.rawValue] + Self.bigEndian(id)
        case .taskMember(let taskID, let member): [Prefix.taskMember.rawValue] + Self.bigEndian(taskID) + member.bytes
        case .round(let taskID, let number):
            [Prefix.round.rawValue] + Self.bigEndian(taskID) + Self.bigEndian(UInt64(number)).suffix(4)
        case .modelVersion(let taskID, let version):
            [Prefix.modelVersion.rawValue] + Self.bigEndian(taskID) + Self.bigEndian(UInt64(version)).suffix(4)
        case .channel(let id): [Prefix.channel.rawValue] + Self.bigEndian(id)
        case .serverBond(let address): [Prefix.serverBond.rawValue] + address.bytes
        case .inferenceEarning(let key):
            [Prefix.inferenceEarning.rawValue] + Self.bigEndian(key.taskID) + Self.bigEndian(UInt64(key.version)).suffix(4)
                + key.contributor.bytes
        }
    }

    /// Parses a key from its byte layout.
    /// - Throws: ``CodecError`` when the bytes are no valid key.
    public init(bytes: [UInt8]) throws(CodecError) {
        guard let first = bytes.first, let prefix = Prefix(rawValue: first) else {
            throw .unknownTag(offset: 0, tag: bytes.first ?? 0, type: "StateKey")
        }
        let rest = Array(bytes.dropFirst())
        func expect(_ count: Int) throws(CodecError) {
            guard rest.count == count else { throw .invalidLength(expected: count + 1, actual: bytes.count) }
        }
        switch prefix {
        case .account:
            try expect(20)
            self = .account(try Address(bytes: rest))
        case .validator:
            try expect(20)
            self = .validator(try Address(bytes: rest))
        case .delegation:
            try expect(40)
            self = .delegation(
                DelegationKey(delegator: try Address(bytes: rest[0..<20]), validator: try Address(bytes: rest[20..<40]))
            )
        case .unbonding:
            try expect(8)
            self = .unbonding(id: Self.integer(rest[0..<8]))
        case .proposal:
            try expect(8)
            self = .proposal(id: Self.integer(rest[0..<8]))
        case .vote:
            try expect(28)
            self = .vote(proposalID: Self.integer(rest[0..<8]), voter: try Address(bytes: rest[8..<28]))
        case .parameters:
            try expect(0)
            self = .parameters
        case .globals:
            try expect(0)
            self = .globals
        case .task:
            try expect(8)
            self = .task(id: Self.integer(rest[0..<8]))
        case .taskMember:
            try expect(28)
            self = .taskMember(taskID: Self.integer(rest[0..<8]), member: try Address(bytes: rest[8..<28]))
        case .round:
            try expect(12)
            self = .round(taskID: Self.integer(rest[0..<8]), number: UInt32(Self.integer(rest[8..<12])))
        case .modelVersion:
            try expect(12)
            self = .modelVersion(taskID: Self.integer(rest[0..<8]), version: UInt32(Self.integer(rest[8..<12])))
        case .channel:
            try expect(8)
            self = .channel(id: Self.integer(rest[0..<8]))
        case .serverBond:
            try expect(20)
            self = .serverBond(try Address(bytes: rest))
        case .inferenceEarning:
            try expect(32)
            self = .inferenceEarning(
                InferenceEarningKey(
                    taskID: Self.integer(rest[0..<8]), version: UInt32(Self.integer(rest[8..<12])),
                    contributor: try Address(bytes: rest[12..<32])))
        }
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    private static func integer(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { ($0 << 8) | UInt64($1) }
    }
}
