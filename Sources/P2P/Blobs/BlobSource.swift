// BlobSource: where a node's blobs are kept, so that it can answer its peers' requests.

public import DeAICore

/// The blobs (model weights and updates, content-addressed) a node holds and serves to peers that ask.
public protocol BlobSource: Sendable {
    /// The blob whose bytes hash to `hash`, if held and readable.
    func blob(_ hash: SHA256Digest) async -> [UInt8]?
}
