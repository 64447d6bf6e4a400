// The hand-written reader of predict bodies: it agrees with JSONDecoder bit for bit, or declines.

import API
import APITypes
import DeAITesting
import Foundation
import Testing

@Suite("Predict body reader")
struct PredictBodyTests {
    static func rows(_ body: String) -> [[Double]]? {
        Array(body.utf8).withUnsafeBytes { PredictBody.rows(in: $0) }
    }

    /// What JSONDecoder makes of `body`, or `nil` when it refuses it.
    static func decoded(_ body: String) -> [[Double]]? {
        try? JSONDecoder().decode(PredictRequest.self, from: Data(body.utf8)).inputs
    }

    static func bits(_ rows: [[Double]]?) -> [[UInt64]]? {
        rows.map { $0.map { $0.map(\.bitPattern) } }
    }

    @Test("plain bodies are read as JSONDecoder reads them, whitespace, exponents, negative zero and empty rows included")
    func plainBodies() throws {
        let bodies = [
            #"{"inputs": [[0.5, -1.25, 16, 0, 3e2, 1E-3, 2.5e+1, -0, -0.0, 0.1, 900719925474099.2]]}"#,
            #"{"inputs":[[1],[2],[3]]}"#,
            " \t\r\n{ \"inputs\" :\n[ [ 9007199254740992 , 1e22, 1e-22 ] ] } \n",
            #"{"inputs": []}"#,
            #"{"inputs": [[], []]}"#,
        ]
        for body in bodies {
            let rows = try #require(Self.rows(body), "declined: \(body)")
            #expect(Self.bits(rows) == Self.bits(Self.decoded(body)), "\(body)")
        }
        #expect(Self.rows(#"{"inputs": [[0.5, -1.25, 16]]}"#) == [[0.5, -1.25, 16]])
    }

    @Test(
        "anything not plain is declined, for JSONDecoder to judge",
        arguments: [
            #"{"inputs": [[NaN]]}"#, #"{"inputs": [[Infinity]]}"#, #"{"inputs": [[-Infinity]]}"#, #"{"inputs": [[nan]]}"#,
            #"{"inputs": [[1e400]]}"#, #"{"inputs": [[-1e400]]}"#, #"{"inputs": [[0e1]]}"#, #"{"inputs": [[-0.0e5]]}"#, #"{"inputs": [[1e-400]]}"#, #"{"inputs": [[1e23]]}"#,
            #"{"inputs": [[12345678901234567890]]}"#, #"{"inputs": [[9007199254740993]]}"#,
            #"{"inputs": [[01]]}"#, #"{"inputs": [[+1]]}"#, #"{"inputs": [[.5]]}"#, #"{"inputs": [[1.]]}"#,
            #"{"inputs": [[1e]]}"#, #"{"inputs": [[1e+]]}"#, #"{"inputs": [[-]]}"#, #"{"inputs": [[0x10]]}"#,
            #"{"inputs": [["1"]]}"#, #"{"inputs": [[true]]}"#, #"{"inputs": [[null]]}"#, #"{"inputs": [[{}]]}"#,
            #"{"inputs": [[[1]]]}"#, #"{"inputs": [1, 2]}"#, #"{"inputs": null}"#, #"{"inputs": {}}"#,
            #"{"inputs": [[1,]]}"#, #"{"inputs": [[1],]}"#, #"{"inputs": [[1 2]]}"#, #"{"inputs": [[1]]"#,
            #"{"inputs": [[1]], "other": 1}"#, #"{"other": 1, "inputs": [[1]]}"#, #"{"inputs": [[1]], "inputs": [[2]]}"#,
            #"{"input\u0073": [[1]]}"#, #"{"Inputs": [[1]]}"#, #"{"inputs": [[1]]}x"#, #"[[1]]"#, "", " ",
            "\u{FEFF}{\"inputs\": [[1]]}", "{\"inputs\": [[1\u{A0}]]}",
        ])
    func declined(body: String) {
        #expect(Self.rows(body) == nil)
    }

    @Test("a deep nesting is declined where it opens, without recursion")
    func deepNesting() {
        #expect(Self.rows(#"{"inputs": "# + String(repeating: "[", count: 200_000)) == nil)
        #expect(Self.rows(String(repeating: "{", count: 200_000)) == nil)
    }

    @Test("random bodies: every one read is read as JSONDecoder reads it, and the usual numbers are all read")
    func randomBodies() throws {
        var generator = SeededGenerator(seed: 16)
        for _ in 0..<2_000 {
            let (body, plain) = Self.randomBody(using: &generator)
            let rows = Self.rows(body)
            if plain { #expect(rows != nil, "declined: \(body)") }
            if let rows { #expect(Self.bits(rows) == Self.bits(Self.decoded(body)), "\(body)") }
        }
    }

    @Test("mutated bodies: the reader never accepts what JSONDecoder refuses, nor reads a value differently")
    func mutatedBodies() {
        var generator = SeededGenerator(seed: 61)
        let alphabet = Array(#"{}[],:"-+.eE0123456789 \NaInfty"#.utf8) + [0x0A, 0x00, 0xFF]
        for _ in 0..<5_000 {
            var bytes = Array(Self.randomBody(using: &generator).body.utf8)
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes[position] = alphabet.randomElement(using: &generator)!
                case 1: bytes.remove(at: position)
                case 2: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
                default: bytes.removeLast(bytes.count - position)
                }
                if bytes.isEmpty { bytes = [0x20] }
            }
            let read = bytes.withUnsafeBytes { PredictBody.rows(in: $0) }
            guard let read else { continue }
            let decoded = try? JSONDecoder().decode(PredictRequest.self, from: Data(bytes)).inputs
            #expect(Self.bits(read) == Self.bits(decoded), "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    /// A body of 1–3 rows of 0–8 numbers in many spellings, with random whitespace; `plain` when every number is
    /// on the reader's fast path.
    static func randomBody(using generator: inout SeededGenerator) -> (body: String, plain: Bool) {
        let spaces = ["", " ", "\n", "\t", "\r\n  "]
        func space() -> String { spaces.randomElement(using: &generator)! }
        var plain = true
        let rows = (0..<Int.random(in: 1...3, using: &generator)).map { _ in
            (0..<Int.random(in: 0...8, using: &generator)).map { _ in
                let (text, onPath) = Self.randomNumber(using: &generator)
                plain = plain && onPath
                return space() + text + space()
            }.joined(separator: ",")
        }
        let body = space() + "{" + space() + #""inputs""# + space() + ":" + space() + "["
            + rows.map { space() + "[" + $0 + "]" + space() }.joined(separator: ",") + "]" + space() + "}" + space()
        return (body, plain)
    }

    /// A JSON number, and whether it is on the fast path (≤ 15 significant digits, a power of ten within ±22).
    static func randomNumber(using generator: inout SeededGenerator) -> (String, Bool) {
        let sign = Bool.random(using: &generator) ? "-" : ""
        switch Int.random(in: 0..<7, using: &generator) {
        case 0: return (sign + String(Int.random(in: 0...100_000, using: &generator)), true)
        case 1: return (sign + String(format: "%.4f", Double.random(in: 0...16, using: &generator)), true)
        case 2: return (sign + String(format: "%.15g", Double.random(in: 0...1, using: &generator)), true)
        case 3:
            let exponent = Int.random(in: -22...22, using: &generator)
            return (sign + "\(Int.random(in: 1...999, using: &generator))e\(exponent)", true)
        case 4: return (sign + "\(Double.random(in: -1e10...1e10, using: &generator))", false)
        case 5:
            let text = ["0", "0.0", "0e5", "0e10", "0.000", "1", "1.0", "1E0", "10", "0.5"].randomElement(using: &generator)!
            return (sign + text, !text.hasPrefix("0e"))
        default:
            let exponent = Int.random(in: -340...340, using: &generator)
            return (sign + "\(Int.random(in: 1...9_999_999, using: &generator)).\(Int.random(in: 0...99, using: &generator))e\(exponent)", false)
        }
    }
}
