// Adaptive attacks in a real devnet: colluders and a backdoor against the chain's scoring and slashing.

import Devnet
import Federation
import Testing

@Suite("Adaptive attacks in a devnet", .serialized)
struct AdaptiveAttackRunTests {
    @Test("ALIE colluders and backdoor planters on breast cancer: paid, not slashed; the backdoor's rate is reported",
          arguments: [Attack.alie, .backdoor])
    func adaptiveAttackers(attack: Attack) async throws {
        let report = try await runDevnet {
            $0.participants = 6
            $0.malicious = 2
            $0.attack = attack
            $0.rounds = 2
        }
        #expect(report.rounds.count == 2)
        let attackers = report.participants.filter { $0.behaviour == attack.rawValue }
        #expect(attackers.count == 2)
        #expect(attackers.allSatisfy { $0.slashed == 0 })
        // Both updates improve the validation loss on clean data (ALIE's colluders see only their own honest
        // updates; a backdoor hides in samples no evaluator holds), so the evaluators pay them like honest ones:
        // measured 37% (ALIE) and 32% (backdoor) of the rewards for 2 attackers of 6.
        withKnownIssue("adaptive attackers earn about their honest share") {
            #expect(report.maliciousRewardShare <= 0.05, "\(report.maliciousRewardShare)")
        }
        if attack == .backdoor {
            let backdoor = try #require(report.backdoor)
            #expect(backdoor.target == 0)
            #expect((0...1).contains(backdoor.successRate) && (0...1).contains(backdoor.initialSuccessRate))
        } else {
            #expect(report.backdoor == nil)
        }
    }

    @Test("sign flippers on non-IID digits are valued below zero and left out: unpaid, and the model still learns")
    func nonIIDSignFlippers() async throws {
        let report = try await Self.nonIIDDigits(attackedBy: .signFlip)
        // Their harm hides inside the spread of honest non-IID updates (nobody is slashed), but their value does
        // not: measured 47–86% after 6 rounds over seeds 1–5 (83% with the default seed), where keeping them in
        // stalled the model at 36%.
        #expect(report.participants.allSatisfy { $0.slashed == 0 })
        #expect(report.maliciousRewardShare <= 0.05, "\(report.maliciousRewardShare)")
        #expect(report.finalAccuracy >= 0.6, "\(report.rounds.map(\.testAccuracy))")
    }

    @Test("three Sybil identities on one label-sharded digits shard: training never stalls, and they earn little")
    func nonIIDSybils() async throws {
        let report = try await Self.nonIIDDigits(attackedBy: .sybil)
        // The Sybils' shard counts three times and four label shards go missing, so from round 4 most owners'
        // updates measure below zero: without taking the best of them back up to the minimum, every later round
        // ended `too_few_accepted` on a 46% model; with it, 77% after 6 rounds (the default seed).
        #expect(!report.rounds.contains { $0.result == "too_few_accepted" }, "\(report.rounds.map(\.result))")
        #expect(report.finalAccuracy >= 0.6, "\(report.rounds.map(\.testAccuracy))")
        #expect(report.maliciousRewardShare <= 0.05, "\(report.maliciousRewardShare)")
    }

    /// Six rounds on label-sharded digits, three of the ten owners running `attack`.
    private static func nonIIDDigits(attackedBy attack: Attack) async throws -> DevnetReport {
        try await runDevnet {
            $0.dataset = .digits
            $0.nonIID = true
            $0.malicious = 3
            $0.attack = attack
            $0.rounds = 6
        }
    }
}
