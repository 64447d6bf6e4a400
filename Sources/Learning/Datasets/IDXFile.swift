// IDXFile: the IDX format of MNIST and its relatives.

public import Foundation

/// A tensor read from an IDX file (MNIST's format): magic `0x00 0x00 type rank`, then `rank` big-endian UInt32
/// extents, then the values big-endian. Types: 0x08 UInt8, 0x09 Int8, 0x0B Int16, 0x0C Int32, 0x0D Float32,
/// 0x0E Float64; all are converted to Float.
public enum IDXFile {
    /// Parses IDX bytes.
    /// - Throws: ``LearningError/malformedData(file:line:reason:)`` (line 0) on a bad header or size.
    /// - Complexity: O(bytes).
    public static func decode(_ data: Data, name: String = "idx") throws -> Tensor {
        let bytes = [UInt8](data)
        func fail(_ reason: String) -> LearningError { .malformedData(file: name, line: 0, reason: reason) }
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else { throw fail("bad magic number") }
        let rank = Int(bytes[3])
        guard bytes.count >= 4 + 4 * rank else { throw fail("truncated header") }
        let shape = (0..<rank).map { axis in
            (0..<4).reduce(0) { $0 << 8 | Int(bytes[4 + 4 * axis + $1]) }
        }
        let size: Int
        switch bytes[2] {
        case 0x08, 0x09: size = 1
        case 0x0B: size = 2
        case 0x0C, 0x0D: size = 4
        case 0x0E: size = 8
        default: throw fail("unknown value type 0x\(String(bytes[2], radix: 16))")
        }
        let count = shape.reduce(1, *)
        let start = 4 + 4 * rank
        guard bytes.count == start + count * size else {
            throw fail("expected \(count * size) bytes of values, found \(bytes.count - start)")
        }
        var values = [Float](repeating: 0, count: count)
        for index in 0..<count {
            let offset = start + index * size
            var raw: UInt64 = 0
            for byte in 0..<size { raw = raw << 8 | UInt64(bytes[offset + byte]) }
            switch bytes[2] {
            case 0x08: values[index] = Float(raw)
            case 0x09: values[index] = Float(Int8(bitPattern: UInt8(raw)))
            case 0x0B: values[index] = Float(Int16(bitPattern: UInt16(raw)))
            case 0x0C: values[index] = Float(Int32(bitPattern: UInt32(raw)))
            case 0x0D: values[index] = Float(bitPattern: UInt32(raw))
            default: values[index] = Float(Double(bitPattern: raw))
            }
        }
        return Tensor(uncheckedShape: shape, scalars: values)
    }

    /// Reads an IDX file.
    /// - Throws: ``LearningError/io(path:reason:)`` or a format error.
    public static func read(_ path: String) throws -> Tensor {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LearningError.io(path: path, reason: "cannot read")
        }
        return try self.decode(data, name: (path as NSString).lastPathComponent)
    }

    /// Encodes a tensor as IDX with float32 values (type 0x0D).
    public static func encode(_ tensor: Tensor) -> Data {
        var bytes: [UInt8] = [0, 0, 0x0D, UInt8(tensor.rank)]
        for extent in tensor.shape { bytes += withUnsafeBytes(of: UInt32(extent).bigEndian, Array.init) }
        for value in tensor.scalars { bytes += withUnsafeBytes(of: value.bitPattern.bigEndian, Array.init) }
        return Data(bytes)
    }
}
