// Safetensors: reading and writing the safetensors format of PyTorch and Hugging Face.

public import Foundation

/// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length,
/// a JSON header `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}`, then the raw
/// little-endian tensor bytes. Learning reads F32, F64, F16 and BF16 (converted to Float) and writes F32.
public enum Safetensors {
    /// Tensors by name plus the file's string metadata.
    public struct File: Sendable {
        /// The tensors, by name.
        public var tensors: [String: Tensor]
        /// The `__metadata__` strings.
        public var metadata: [String: String]

        /// A file's contents.
        public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
            self.tensors = tensors
            self.metadata = metadata
        }
    }

    /// Encodes tensors as safetensors (F32), names in sorted order, with optional metadata.
    /// - Complexity: O(total scalars).
    public static func encode(_ file: File) throws -> Data {
        var header: [String: Any] = [:]
        var payload = Data()
        for name in file.tensors.keys.sorted() {
            guard let tensor = file.tensors[name] else { continue }
            let begin = payload.count
            let scalars = tensor.scalars
            scalars.withUnsafeBufferPointer { buffer in
                for value in buffer {
                    withUnsafeBytes(of: value.bitPattern.littleEndian) { payload.append(contentsOf: $0) }
                }
            }
            header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [begin, payload.count]]
        }
        if !file.metadata.isEmpty { header["__metadata__"] = file.metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }  // pad with spaces, as the reference writer does
        var data = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        data.append(payload)
        return data
    }

    /// Decodes safetensors bytes.
    /// - Throws: ``LearningError/malformedWeights(reason:)`` on any inconsistency (sizes, offsets, dtypes).
    /// - Complexity: O(file size).
    public static func decode(_ data: Data) throws -> File {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw LearningError.malformedWeights(reason: "file shorter than 8 bytes") }
        let headerLength = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw LearningError.malformedWeights(reason: "header length \(headerLength) exceeds the file")
        }
        let dataStart = 8 + Int(headerLength)
        let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart]))
        guard let header = object as? [String: Any] else {
            throw LearningError.malformedWeights(reason: "header is not a JSON object")
        }
        var file = File(tensors: [:])
        for (name, value) in header {
            if name == "__metadata__" {
                file.metadata = (value as? [String: String]) ?? [:]
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else {
                throw LearningError.malformedWeights(reason: "entry '\(name)' lacks dtype, shape or data_offsets")
            }
            let size: Int
            switch dtype {
            case "F32": size = 4
            case "F64": size = 8
            case "F16", "BF16": size = 2
            default: throw LearningError.malformedWeights(reason: "tensor '\(name)' has unsupported dtype \(dtype)")
            }
            // Every product and sum checked: a header is untrusted, and a shape like [2³¹, 2³¹] must be an error,
            // not an overflow trap or an allocation of the product.
            let count = shape.reduce(Int?.some(1)) { product, extent in
                product.flatMap { let (p, overflow) = $0.multipliedReportingOverflow(by: extent); return overflow ? nil : p }
            }
            guard let count, shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[1] >= offsets[0],
                offsets[1] <= bytes.count - dataStart, count <= (bytes.count - dataStart) / size,
                offsets[1] - offsets[0] == count * size
            else {
                throw LearningError.malformedWeights(reason: "tensor '\(name)' has offsets \(offsets) inconsistent with shape \(shape) \(dtype)")
            }
            var scalars = [Float](repeating: 0, count: count)
            let base = dataStart + offsets[0]
            for index in 0..<count {
                var raw: UInt64 = 0
                for byte in 0..<size { raw |= UInt64(bytes[base + index * size + byte]) << (8 * UInt64(byte)) }
                switch dtype {
                case "F32": scalars[index] = Float(bitPattern: UInt32(raw))
                case "F64": scalars[index] = Float(Double(bitPattern: raw))
                case "BF16": scalars[index] = Float(bitPattern: UInt32(raw) << 16)
                default: scalars[index] = Float(Float16Bits(UInt16(raw)))
                }
            }
            file.tensors[name] = Tensor(uncheckedShape: shape, scalars: scalars)
        }
        return file
    }
}

/// Converts IEEE half-precision bits to Float (Float16 is not available on every platform Swift supports).
private func Float16Bits(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 != 0 ? -1 : 1
    let exponent = Int((bits >> 10) & 0x1F)
    let fraction = Float(bits & 0x3FF)
    switch exponent {
    case 0: return sign * fraction * 0x1p-24
    case 31: return fraction == 0 ? sign * .infinity : .nan
    default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
    }
}
