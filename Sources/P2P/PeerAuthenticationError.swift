// Why a peer's certificate does not prove a node key.

public import DeAICore

/// Why a peer was not authenticated: its certificate does not prove a node key, or proves another one than the
/// node that was dialled.
public enum PeerAuthenticationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The peer sent no certificate, or more than one.
    case certificateCount(Int)
    /// The certificate does not parse, or is outside its validity.
    case invalidCertificate(reason: String)
    /// The certificate lacks the node-key extension, or carries a critical extension this node does not know.
    case missingNodeKey
    /// The extension's key is not an Ed25519 key, or its signature of the certificate's key does not verify.
    case invalidNodeSignature
    /// The peer is authenticated, but is not the node that was dialled.
    case unexpectedPeer(expected: VerifyingKey, found: VerifyingKey)
    /// The connection closed before the handshake completed.
    case handshakeIncomplete
    /// The handshake did not complete in time; the connection was closed.
    case handshakeTimedOut

    public var description: String {
        switch self {
        case .certificateCount(let count): "the peer sent \(count) certificates, not one"
        case .invalidCertificate(let reason): "the peer's certificate is invalid: \(reason)"
        case .missingNodeKey: "the peer's certificate does not carry a node key, or carries an unknown critical extension"
        case .invalidNodeSignature: "the peer's node key did not sign its TLS key"
        case .unexpectedPeer(let expected, let found): "dialled node \(expected), but the peer is node \(found)"
        case .handshakeIncomplete: "the connection closed before the TLS handshake completed"
        case .handshakeTimedOut: "the TLS handshake did not complete in time"
        }
    }
}
