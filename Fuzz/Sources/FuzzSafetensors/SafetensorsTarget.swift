// SafetensorsTarget: safetensors files, as a node reads an initial model or a trained one.

import Foundation
import FuzzSupport
import Learning

/// Feeds Learning's `Safetensors.decode`. A file that decodes must encode (as F32) and decode again to the same
/// tensors, bit for bit, and the same metadata.
enum SafetensorsTarget: FuzzTarget {
    static func test(_ bytes: [UInt8]) {
        guard let file = try? Safetensors.decode(Data(bytes)) else { return }
        let again: Safetensors.File
        do {
            again = try Safetensors.decode(try Safetensors.encode(file))
        } catch {
            return FuzzCheck.require(false, "a decoded file does not encode and decode again: \(error)")
        }
        FuzzCheck.require(again.metadata == file.metadata, "the metadata changed in a round trip")
        FuzzCheck.require(Set(again.tensors.keys) == Set(file.tensors.keys), "the tensor names changed in a round trip")
        for (name, tensor) in file.tensors {
            let other = again.tensors[name]
            FuzzCheck.require(other?.shape == tensor.shape, "tensor '\(name)' changed shape in a round trip")
            FuzzCheck.require(
                other?.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern),
                "tensor '\(name)' changed values in a round trip")
        }
    }

    static var seeds: [(name: String, bytes: [UInt8])] {
        let weights = try! Tensor(shape: [2, 3], scalars: [1, -2, 0.5, 0, 3.25, -0.125])
        let bias = try! Tensor(shape: [3], scalars: [0.1, 0.2, 0.3])
        let scalar = try! Tensor(shape: [], scalars: [7])
        let files = [
            ("two-tensors", Safetensors.File(tensors: ["dense.weight": weights, "dense.bias": bias],
                metadata: ["format": "pt"])),
            ("scalar", Safetensors.File(tensors: ["step": scalar])),
            ("empty", Safetensors.File(tensors: [:])),
        ]
        return files.map { ($0.0, [UInt8](try! Safetensors.encode($0.1))) }
    }
}
