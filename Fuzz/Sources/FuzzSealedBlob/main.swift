// FuzzSealedBlob: libFuzzer's entry points, forwarded to SealedBlobTarget.

import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { SealedBlobTarget.run(data, size) }

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
    SealedBlobTarget.initialize()
}
