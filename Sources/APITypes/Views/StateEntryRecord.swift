// APITypes: one state entry in the canonical binary encoding.

public import DeAICore
public import Ledger

/// `GET /v1/state/{key}` answered with `Accept: application/octet-stream`: what ``StateEntryView`` says — the
/// height, the value, the state root, the header and the proof — in the canonical binary encoding, which a node
/// writes and a client reads in a fraction of JSON's time. Participants following a task read entries this way.
public struct StateEntryRecord: CanonicalCodable, Sendable, Hashable {
    /// The content type of the binary answer.
    public static let contentType = "application/octet-stream"

    /// The height the entry was read at.
    public var height: Height
    /// The entry's canonical encoding; `nil` when the key holds nothing.
    public var value: [UInt8]?
    /// The state root the proof leads to.
    public var stateRoot: SHA256Digest
    /// The header holding ``stateRoot``; absent at height 0.
    public var header: BlockHeader?
    /// The proof of the value, or of its absence.
    public var proof: StateProof

    /// A record with every part given.
    public init(height: Height, value: [UInt8]?, stateRoot: SHA256Digest, header: BlockHeader?, proof: StateProof) {
        self.height = height
        self.value = value
        self.stateRoot = stateRoot
        self.header = header
        self.proof = proof
    }

    /// Writes the height, the optional value, the root, the optional header and the proof.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.height)
        encoder.encode(self.value.map(EntryBytes.init))
        encoder.encode(self.stateRoot)
        encoder.encode(self.header)
        encoder.encode(self.proof)
    }

    /// Reads what ``encode(to:)`` writes.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.height = try decoder.decodeUInt64()
        self.value = try decoder.decodeOptional(EntryBytes.self)?.bytes
        self.stateRoot = try decoder.decode(SHA256Digest.self)
        self.header = try decoder.decodeOptional(BlockHeader.self)
        self.proof = try decoder.decode(StateProof.self)
    }
}

extension StateEntryView {
    /// The JSON view of a binary record.
    public init(_ record: StateEntryRecord) {
        self.init(
            height: record.height, value: record.value,
            proof: AccountProofView(stateRoot: record.stateRoot, header: record.header, proof: record.proof))
    }
}

/// A state value as a length-prefixed byte string, so that it can be optional in the encoding.
private struct EntryBytes: CanonicalCodable {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func encode(to encoder: inout CanonicalEncoder) { encoder.encode(bytes: self.bytes) }

    init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.bytes = try decoder.decodeBytes(maxBytes: StateProof.maxValueBytes)
    }
}
