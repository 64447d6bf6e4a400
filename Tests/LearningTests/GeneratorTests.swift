// The seeded generators against the outputs their authors' reference implementations publish.

import Learning
import Testing

@Suite("Seeded generators")
struct GeneratorTests {
    @Test("SplitMix64 gives the reference outputs (seed 1234567, as Rosetta Code lists them; seed 0)")
    func splitMix64() {
        var generator = SplitMix64(seed: 1_234_567)
        #expect((0..<5).map { _ in generator.next() } == [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ])
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }
}
