// The devnet end to end: real nodes on loopback, real training, and the outcomes a user is promised.

import Devnet
import Federation
import Foundation
import Logging
import Testing

@Suite("Devnet runs", .serialized)
struct DevnetRunTests {
    private func run(_ configure: (inout DevnetOptions) -> Void) async throws -> DevnetReport {
        var options = DevnetOptions()
        options.rounds = 3
        configure(&options)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deai-devnet-test-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "devnet-test")
        logger.logLevel = .error
        return try await Devnet(options: options, directory: directory, logger: logger).run()
    }

    @Test("the default demo: accuracy near centralized, attackers slashed and unpaid, rewards follow Shapley, repeatable")
    func defaultDemo() async throws {
        let report = try await self.run { _ in }
        #expect(report.rounds.count == 3)
        #expect(abs(report.finalAccuracy - report.centralizedAccuracy) <= 0.02, "\(report.finalAccuracy) vs \(report.centralizedAccuracy)")
        #expect(report.maliciousRewardShare <= 0.05)
        let owners = report.participants.filter { $0.role == "data owner" }
        for owner in owners where owner.behaviour != "honest" {
            let attack = Attack(rawValue: owner.behaviour)
            if attack == .freeRiderZeros || attack == .freeRiderReplay {
                #expect(owner.earned == 0, "\(owner.name) (\(owner.behaviour)) earned \(owner.earned)")
            } else {
                #expect(owner.slashed > 0, "\(owner.name) (\(owner.behaviour)) was not slashed")
            }
        }
        #expect(owners.filter { $0.behaviour == "honest" }.allSatisfy { $0.earned > 0 && $0.slashed == 0 })
        let correlation = try #require(report.rewardShapleyCorrelation)
        #expect(correlation >= 0.8)
        #expect(report.lineage.count == 3)

        let again = try await self.run { _ in }
        #expect(again.finalModel == report.finalModel)
        #expect(again.participants.map(\.earned) == report.participants.map(\.earned))
    }

    @Test("30% attackers on non-IID data cost at most 3 points of accuracy")
    func attackersOnNonIIDData() async throws {
        let clean = try await self.run { $0.nonIID = true; $0.malicious = 0 }
        let attacked = try await self.run { $0.nonIID = true; $0.malicious = 3; $0.attack = .signFlip }
        #expect(clean.finalAccuracy - attacked.finalAccuracy <= 0.03, "\(attacked.finalAccuracy) vs \(clean.finalAccuracy)")
        #expect(attacked.maliciousRewardShare <= 0.05)
    }
}
