// FuzzTarget: what one libFuzzer executable feeds, and the plumbing its two C entry points call.

import Foundation

/// One fuzzed input format: how to feed it bytes, and the valid inputs its corpus starts from.
///
/// A target's `main.swift` only exports libFuzzer's two C entry points and forwards them here:
///
/// ```swift
/// @_cdecl("LLVMFuzzerTestOneInput")
/// public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { CanonicalTarget.run(data, size) }
///
/// @_cdecl("LLVMFuzzerInitialize")
/// public func initialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
///     CanonicalTarget.initialize()
/// }
/// ```
///
/// `test(_:)` must treat a thrown error as a correct rejection and ignore it; a crash, a trap, a hang, a sanitizer
/// report or a failed ``FuzzCheck/require(_:_:)`` is a bug in the code under test.
public protocol FuzzTarget {
    /// Feeds one input to the code under test.
    static func test(_ bytes: [UInt8])

    /// Small valid inputs made by the real encoders, with a file name each: the seed corpus.
    static var seeds: [(name: String, bytes: [UInt8])] { get }
}

/// The environment variable that makes a fuzz executable write its seeds into the folder it names, then exit.
public let writeSeedsVariable = "DEAI_FUZZ_WRITE_SEEDS"

extension FuzzTarget {
    /// `LLVMFuzzerTestOneInput`: copies libFuzzer's buffer and calls ``test(_:)``. Always returns 0.
    public static func run(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        Self.test(bytes)
        return 0
    }

    /// `LLVMFuzzerInitialize`: when ``writeSeedsVariable`` names a folder, writes ``seeds`` there (one file each,
    /// after checking that every seed passes ``test(_:)``) and exits; otherwise returns 0 and fuzzing starts.
    public static func initialize() -> CInt {
        guard let folder = ProcessInfo.processInfo.environment[writeSeedsVariable] else { return 0 }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for seed in Self.seeds {
                Self.test(seed.bytes)
                try Data(seed.bytes).write(to: URL(fileURLWithPath: folder).appendingPathComponent(seed.name))
            }
            print("wrote \(Self.seeds.count) seeds to \(folder)")
            exit(0)
        } catch {
            print("cannot write the seeds to \(folder): \(error)")
            exit(1)
        }
    }
}
