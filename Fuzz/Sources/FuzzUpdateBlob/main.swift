// FuzzUpdateBlob: libFuzzer's entry points, forwarded to UpdateBlobTarget.

import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { UpdateBlobTarget.run(data, size) }

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
    UpdateBlobTarget.initialize()
}
