// PeerAddress: where a node listens, and the node key it must prove there — `KEY@HOST:PORT`.

public import DeAICore

/// A node's peer-to-peer address: its node key (64 hex digits) and the host and port it listens on, written
/// `KEY@HOST:PORT` as in `config.json`'s `p2p.persistent_peers`. A dialler refuses whoever answers at the address
/// without proving the key.
public struct PeerAddress: Sendable, Hashable, CustomStringConvertible, CanonicalCodable {
    /// The node key the peer proves in the TLS handshake.
    public var key: VerifyingKey
    /// A host name or IP address.
    public var host: String
    /// The TCP port.
    public var port: Int

    /// The longest host accepted, in bytes (a DNS name's limit).
    public static let maxHostBytes = 253

    /// An address with every field given.
    public init(key: VerifyingKey, host: String, port: Int) {
        self.key = key
        self.host = host
        self.port = port
    }

    /// Parses `KEY@HOST:PORT`; an IPv6 host is written in brackets (`KEY@[::1]:26656`).
    /// - Throws: ``PeerAddressError`` saying which part is wrong.
    public init(parsing text: String) throws(PeerAddressError) {
        guard let at = text.firstIndex(of: "@") else { throw .init(text, "it is not KEY@HOST:PORT") }
        let keyText = String(text[..<at])
        guard let raw = try? [UInt8](hexString: keyText), let key = try? VerifyingKey(rawRepresentation: raw) else {
            throw .init(text, "the node key is not 64 hex digits of an Ed25519 public key")
        }
        let location = text[text.index(after: at)...]
        guard let colon = location.lastIndex(of: ":"), let port = Int(location[location.index(after: colon)...]),
            (1...65_535).contains(port)
        else { throw .init(text, "the port is missing or not 1 to 65535") }
        var host = String(location[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, host.utf8.count <= Self.maxHostBytes, !host.contains(where: \.isWhitespace) else {
            throw .init(text, "the host is empty, too long or contains spaces")
        }
        self.init(key: key, host: host, port: port)
    }

    /// `KEY@HOST:PORT`.
    public var description: String {
        "\(self.key)@\(self.host.contains(":") ? "[\(self.host)]" : self.host):\(self.port)"
    }

    /// The key, the host and the port as 16 bits.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.key)
        encoder.encode(self.host)
        encoder.encode(UInt16(clamping: self.port))
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.init(
            key: try decoder.decode(VerifyingKey.self), host: try decoder.decodeString(maxBytes: Self.maxHostBytes),
            port: Int(try decoder.decodeUInt16()))
    }
}

/// A peer address that does not parse.
public struct PeerAddressError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text given.
    public var text: String
    /// What is wrong with it.
    public var reason: String

    init(_ text: String, _ reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { "peer address \"\(self.text)\": \(self.reason) (expected KEY@HOST:PORT)" }
}
