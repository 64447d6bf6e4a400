// AttackSpec: reading `name:param=value` into a typed attack with strengths, and refusing what it cannot read.

import Federation
import Testing

@Suite("Attack specs are read from name:param=value")
struct AttackSpecTests {
    @Test("Strengths are read into the attack's configuration")
    func goodSpecs() throws {
        #expect(try AttackSpec(parsing: "alie:z=1.5") == AttackSpec(attack: .alie))
        #expect(try AttackSpec(parsing: "alie:z=2").configuration.alieDeviations == 2)
        #expect(try AttackSpec(parsing: "sign_flip:scale=0.3").configuration.signFlipScale == 0.3)
        #expect(try AttackSpec(parsing: "ipm:epsilon=2").configuration.ipmEpsilon == 2)
        #expect(try AttackSpec(parsing: "gaussian:sigma=20").configuration.noiseStandardDeviation == 20)
        #expect(try AttackSpec(parsing: "boosted:factor=4").configuration.boostFactor == 4)
        #expect(try AttackSpec(parsing: "copycat:noise=0").configuration.copycatNoise == 0)
        #expect(try AttackSpec(parsing: "count_liar:factor=7").configuration.claimFactor == 7)
        #expect(try AttackSpec(parsing: "sybil:k=5").configuration.sybilIdentities == 5)
        #expect(try AttackSpec(parsing: "zeros") == AttackSpec(attack: .freeRiderZeros))
        let backdoor = try AttackSpec(parsing: "backdoor:target=2,fraction=0.25,width=4,value=-3")
        #expect(backdoor.attack == .backdoor)
        #expect(backdoor.configuration.backdoor == BackdoorTrigger(target: 2, fraction: 0.25, width: 4, value: -3))
        // Strengths left out keep their defaults.
        #expect(try AttackSpec(parsing: "backdoor:width=1").configuration.backdoor == BackdoorTrigger(width: 1))
    }

    @Test("The canonical text names every strength and reads back to an equal spec", arguments: Attack.allCases)
    func roundTrip(attack: Attack) throws {
        let spec = AttackSpec(attack: attack)
        #expect(try AttackSpec(parsing: spec.description) == spec)
        let strengths = AttackConfiguration(
            signFlipScale: 0.3, noiseStandardDeviation: 12.5, boostFactor: 3, copycatNoise: 0.05, claimFactor: 9,
            alieDeviations: 0.75, ipmEpsilon: 2,
            backdoor: BackdoorTrigger(target: 1, fraction: 0.2, width: 2, value: 4), sybilIdentities: 2)
        let strong = try AttackSpec(parsing: AttackSpec(attack: attack, configuration: strengths).description)
        #expect(strong.attack == attack)
        #expect(strong.description == AttackSpec(attack: attack, configuration: strengths).description)
    }

    @Test("Canonical texts and the usage list")
    func texts() {
        #expect(AttackSpec(attack: .alie).description == "alie:z=1.5")
        #expect(AttackSpec(attack: .gaussianNoise).description == "gaussian:sigma=200")
        #expect(AttackSpec(attack: .backdoor).description == "backdoor:target=0,fraction=0.5,width=3,value=5")
        #expect(AttackSpec(attack: .labelFlip).description == "label_flip")
        #expect(AttackSpec.usage.count == Attack.allCases.count)
        #expect(AttackSpec.usage.contains("ipm[:epsilon=0.1]") && AttackSpec.usage.contains("no_reveal"))
    }

    @Test("Unknown names, unknown or repeated strengths and bad values are refused, naming what is wrong", arguments: [
        ("alpha", "attack"), ("", "attack"), ("ALIE:z=1", "attack"),
        ("alie:q=1", "alie:q"), ("zeros:k=1", "zeros:k"), ("alie:", "alie:"),
        ("alie:z", "alie:z"), ("alie:z=", "alie:z"), ("alie:z=abc", "alie:z"), ("alie:z=nan", "alie:z"),
        ("alie:z=1,z=2", "alie:z"), ("alie:z=-1", "alie:z"), ("ipm:epsilon=0", "ipm:epsilon"),
        ("sybil:k=1.5", "sybil:k"), ("sybil:k=0", "sybil:k"), ("backdoor:fraction=1.5", "backdoor:fraction"),
        ("sign_flip:scale=inf", "sign_flip:scale"),
    ])
    func badSpecs(text: String, name: String) {
        #expect {
            try AttackSpec(parsing: text)
        } throws: { error in
            guard case FederationError.invalidParameter(let failing, let reason) = error else { return false }
            return failing == name && !reason.isEmpty
        }
    }

    @Test("Errors say what is accepted")
    func messages() {
        #expect(throws: FederationError.invalidParameter(name: "zeros:k", reason: "zeros takes no strength")) {
            try AttackSpec(parsing: "zeros:k=1")
        }
        let unknown = FederationError.invalidParameter(
            name: "alie:q", reason: "unknown strength 'q' of alie; it takes z")
        #expect(throws: unknown) { try AttackSpec(parsing: "alie:q=1") }
        #expect(throws: FederationError.invalidParameter(name: "sybil:k", reason: "must be a whole number, got 1.5")) {
            try AttackSpec(parsing: "sybil:k=1.5")
        }
    }
}
