// The devnet end to end: real nodes on loopback, real training, and the outcomes a user is promised.

import APITypes
import DeAICore
import Devnet
import Federation
import Foundation
import Logging
import Node
import Testing

@Suite("Devnet runs", .serialized)
struct DevnetRunTests {
    private func run(
        _ configure: (inout DevnetOptions) -> Void, whileUp: (@Sendable (String) async -> Void)? = nil
    ) async throws -> DevnetReport {
        try await runDevnet(configure, whileUp: whileUp)
    }

    @Test("the default demo: accuracy near centralized, attackers slashed and unpaid, rewards follow Shapley, repeatable")
    func defaultDemo() async throws {
        let report = try await self.run { $0.rounds = 5 }
        #expect(report.rounds.count == 5)
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
        #expect(report.lineage.count == 5)

        let again = try await self.run { $0.rounds = 5 }
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

    @Test("honest owners on non-IID digits are never slashed, however little a round's update is worth")
    func honestNonIIDOwnersKeepTheirStake() async throws {
        let report = try await self.run {
            $0.dataset = .digits
            $0.nonIID = true
            $0.malicious = 0
            $0.rule = .centeredClipping
            $0.rounds = 10
        }
        let owners = report.participants.filter { $0.role == "data owner" }
        #expect(owners.count == 10)
        for owner in owners { #expect(owner.slashed == 0 && owner.earned > 0, "\(owner.name)") }
        // A round whose aggregate measures worse than its parent leaves the parent in place: no round loses ground.
        let accuracies = report.rounds.map(\.testAccuracy)
        #expect(zip(accuracies, accuracies.dropFirst()).allSatisfy { $1 >= $0 - 0.05 }, "\(accuracies)")
        #expect(report.finalAccuracy >= 0.85, "\(report.finalAccuracy)")
    }

    @Test("replaying free riders can copy only an earlier round: copies, kept out, unpaid, not slashed, and no round waits")
    func replayersAreCopies() async throws {
        let seen = RoundCopies()
        let report = try await self.run({
            $0.participants = 6
            $0.malicious = 2
            $0.attack = .freeRiderReplay
            $0.rounds = 2
        }, whileUp: { url in
            guard let client = try? NodeClient(baseURL: url) else { return }
            for number: UInt32 in 1...2 {
                let round = try? await client.round(task: 1, number: number)
                await seen.record(round.map { $0.copies.map(\.description) })
            }
        })
        let replayers: [DevnetParticipantSummary] = report.participants.filter { $0.behaviour == Attack.freeRiderReplay.rawValue }
        #expect(replayers.count == 2)
        for replayer in replayers {
            #expect(replayer.earned == 0 && replayer.slashed == 0 && replayer.acceptedRounds == 0, "\(replayer.name)")
        }
        let honest: [DevnetParticipantSummary] = report.participants.filter { $0.role == "data owner" && $0.behaviour == "honest" }
        #expect(honest.allSatisfy { $0.earned > 0 })
        // Updates are committed before anyone can read them: in round 1 there is nothing to copy (the replayers send
        // zeros, which earn nothing, and the second zero blob is itself a copy); in round 2 they replay round 1's
        // updates, which the chain records as copies.
        let rounds = await seen.rounds
        #expect(rounds.count == 2)
        #expect(Set(rounds.first.flatMap { $0 } ?? []).isSubset(of: Set(replayers.map(\.address))))
        #expect(Set(rounds.last.flatMap { $0 } ?? []) == Set(replayers.map(\.address)), "\(rounds)")
    }
}

/// The copies of each round, read from the node's API while the devnet is up.
private actor RoundCopies {
    private(set) var rounds: [[String]?] = []

    func record(_ copies: [String]?) { self.rounds.append(copies) }
}
