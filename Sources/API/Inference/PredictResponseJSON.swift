// API: a predict answer in JSON, written by hand.

package import APITypes
import DeAICore

/// Writes a ``APITypes/PredictResponse`` exactly as ``JSONResponse`` does with `JSONEncoder` — compact, keys sorted,
/// slashes unescaped, a whole float without its `.0` — byte for byte, at a small part of the cost (`JSONEncoder` took
/// a sixth of an inference server's time per request).
///
/// It declines (`nil`) an answer holding what only `JSONEncoder` should write: a label or model name with a
/// character JSON escapes or one beyond ASCII, or a probability that is not finite (which `JSONEncoder` refuses).
/// The route encodes a declined answer with `JSONEncoder`, so both paths send the same bytes (the tests compare them
/// on random answers).
package enum PredictResponseJSON {
    /// The JSON of `response`, or `nil` when `JSONEncoder` must write it.
    package static func encode(_ response: PredictResponse) -> [UInt8]? {
        var writer = Writer()
        let scalars = response.probabilities.count * (response.probabilities.first?.count ?? 0)
        writer.bytes.reserveCapacity(512 + scalars * 14)
        writer.append("{")
        if let channel = response.channelID {
            writer.append(#""channel_id":"#)
            writer.append(channel.description)
            writer.append(",")
        }
        writer.append(#""charged":"#)
        writer.append(response.charged.description)
        writer.append(#","classes":"#)
        writer.array(response.classes) { $0.append($1.description) }
        if let labels = response.labels {
            writer.append(#","labels":"#)
            writer.array(labels) { $0.string($1) }
        }
        writer.append(#","model":"#)
        writer.string(response.model)
        writer.append(#","probabilities":"#)
        writer.array(response.probabilities) { writer, row in writer.array(row) { $0.float($1) } }
        let receipt = response.receipt
        writer.append(#","receipt":{"input":""#)
        writer.hex(receipt.input.bytes)
        writer.append(#"","model":""#)
        writer.hex(receipt.model.bytes)
        writer.append(#"","output":""#)
        writer.hex(receipt.output.bytes)
        writer.append(#"","server":""#)
        writer.hex(receipt.server.rawRepresentation)
        writer.append(#"","signature":""#)
        writer.hex(receipt.signature.rawRepresentation)
        writer.append(#"","task_id":"#)
        writer.append(receipt.taskID.description)
        writer.append(#","version":"#)
        writer.append(receipt.version.description)
        writer.append("}}")
        return writer.declined ? nil : writer.bytes
    }
}

/// The bytes written so far, and whether something needs `JSONEncoder`.
private struct Writer {
    var bytes: [UInt8] = []
    var declined = false

    mutating func append(_ text: String) {
        self.bytes.append(contentsOf: text.utf8)
    }

    /// `[element, …]`, each written by `write`.
    mutating func array<Element>(_ elements: [Element], _ write: (inout Writer, Element) -> Void) {
        self.bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
            write(&self, element)
        }
        self.bytes.append(UInt8(ascii: "]"))
    }

    /// `bytes` in lowercase hex, as the receipt's hashes, key and signature encode themselves.
    mutating func hex(_ bytes: [UInt8]) {
        for byte in bytes {
            self.bytes.append(Self.hexDigits[Int(byte >> 4)])
            self.bytes.append(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A string of printable ASCII other than `"` and `\`, quoted; anything else declines.
    mutating func string(_ text: String) {
        self.bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            guard (0x20...0x7E).contains(byte), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else {
                self.declined = true
                return
            }
            self.bytes.append(byte)
        }
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// A finite float as `JSONEncoder` writes it: its shortest description, without a trailing `.0`.
    mutating func float(_ value: Float) {
        guard value.isFinite else {
            self.declined = true
            return
        }
        let text = value.description
        self.bytes.append(contentsOf: text.hasSuffix(".0") ? text.utf8.dropLast(2) : text.utf8[...])
    }
}
