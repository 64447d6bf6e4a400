// DeAICoreTests: a Duration as seconds, milliseconds and nanoseconds.

import DeAICore
import Testing

@Suite("Duration units")
struct DurationUnitsTests {
    @Test("fractions are kept in seconds and truncated in whole units; the extremes saturate")
    func units() {
        let duration = Duration.milliseconds(1_500) + .nanoseconds(7)
        #expect(abs(duration.seconds - 1.500_000_007) < 1e-12)
        #expect(duration.milliseconds == 1_500)
        #expect(duration.nanoseconds == 1_500_000_007)
        #expect(Duration.seconds(-2).milliseconds == -2_000)
        #expect(Duration.seconds(Int64.max).nanoseconds == .max)
        #expect(Duration.seconds(Int64.min).milliseconds == .min)
    }
}
