// The hash an evaluator commits to when it joins a task: what its held-out data is, without revealing it.

public import DeAICore
public import Learning

/// The commitment to an in-memory data set that a member posts with `join_task`, when there is no file to hash
/// (the devnet's participants): SHA-256 over the data set's canonical encoding (the sample count, the sample
/// shape, then every feature in row-major order and every target, each as the varint of its float32 bit
/// pattern), under the domain `deai/data-commitment`. Roles of a node
/// and `deai task join --data` commit to the SHA-256 of the data file's bytes instead, which anyone can check
/// with `sha256sum`. Either way the hash reveals nothing of the data until its holder shows it.
public enum DataCommitment {
    /// The commitment to `dataset`.
    /// - Complexity: O(n) in the data set's scalars.
    public static func of(_ dataset: Dataset) -> SHA256Digest {
        var encoder = CanonicalEncoder(reservingCapacity: 4 * (dataset.features.scalarCount + dataset.count) + 64)
        encoder.encode(UInt64(dataset.count))
        encoder.encode(dataset.sampleShape.map { UInt64($0) })
        for value in dataset.features.scalars { encoder.encode(value.bitPattern) }
        for value in dataset.targets { encoder.encode(value.bitPattern) }
        return SHA256Digest(domain: "deai/data-commitment", hashing: encoder.bytes)
    }
}
