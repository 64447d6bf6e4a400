// StoredBlobs: the node's blob store, served to its peers.

import DeAICore
import P2P
import Storage

/// The blobs of a node's ``Storage/BlobStore`` as its peers ask for them; a blob that cannot be read counts as
/// not held.
struct StoredBlobs: BlobSource {
    let store: BlobStore

    func blob(_ hash: SHA256Digest) async -> [UInt8]? {
        try? await self.store.load(hash)
    }
}
