// The devnet on a table of one's own: text columns, booleans and missing cells shared out among the owners.

import DeAITesting
import Devnet
import Federation
import Foundation
import Learning
import Testing

@Suite("Devnet on a table of one's own")
struct DevnetTableTests {
    /// Writes `text` to a new temporary CSV file, runs `body` with its path, and removes it.
    @discardableResult
    private func withTable<T>(_ text: String, _ body: (String) async throws -> T) async throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("deai-table-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(path)
    }

    @Test("a ward table loads: categories one-hot, class names kept, missing cells counted per sample, split 75/25")
    func load() async throws {
        try await self.withTable(SyntheticTables.wards(rows: 400, seed: 5)) { path in
            let data = try DevnetTable(path: path, target: "outcome").load()
            #expect(data.classNames == ["discharged", "readmitted"])
            #expect(data.featureCount == 6)  // age, three wards, smoker, bp
            #expect(data.train.count + data.test.count == 400)
            #expect(data.train.count == 300)
            #expect(data.missingCells.count == data.train.count)
            #expect(data.missingCells.reduce(0, +) > 20)
            #expect(data.train.features.scalars.allSatisfy { $0.isFinite })
            #expect(data.summary.contains("target 'outcome': discharged/readmitted"))
        }
    }

    @Test("a target of real numbers is refused: the devnet trains classifiers")
    func regressionRefused() async throws {
        let rows = (0..<50).map { "\($0),\(Double($0) * 1.5 + 0.25)" }
        try await self.withTable((["x,y"] + rows).joined(separator: "\n")) { path in
            #expect(throws: DevnetDataError.self) { try DevnetTable(path: path).load() }
        }
    }

    @Test("the whole demo runs on the table: accuracy near centralized, each participant's data check in the report")
    func run() async throws {
        try await self.withTable(SyntheticTables.wards(rows: 600, seed: 6)) { path in
            let report = try await runDevnet {
                $0.table = DevnetTable(path: path, target: "outcome")
                $0.malicious = 3
                $0.attack = .signFlip
                $0.rounds = 4
            }
            #expect(report.classNames == ["discharged", "readmitted"])
            #expect(report.finalAccuracy >= 0.8, "\(report.rounds.map(\.testAccuracy))")
            #expect(abs(report.finalAccuracy - report.centralizedAccuracy) <= 0.05,
                    "\(report.finalAccuracy) vs \(report.centralizedAccuracy)")
            #expect(report.maliciousRewardShare <= 0.05)
            for participant in report.participants {
                #expect(participant.data.classCounts.reduce(0, +) == participant.samples, "\(participant.name)")
            }
            #expect(report.participants.map(\.data.missingCells).reduce(0, +) > 0)
        }
    }
}
