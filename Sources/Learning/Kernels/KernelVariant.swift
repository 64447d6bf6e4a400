// KernelVariant: which instruction-set variant of the C kernels runs.

import CLearningKernels

/// The instruction-set variants of the matrix-multiply kernels.
///
/// The fastest variant the CPU supports is used by default. Within one variant results are bit-identical for any
/// thread count; across variants they may differ in the last bits (FMA and vector width change rounding), so
/// consensus-critical numbers (aggregates, scores that many nodes hash) must not rely on these kernels' bits.
public enum KernelVariant: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// Plain C that the compiler vectorizes for the baseline target (SSE2 on x86-64, NEON on arm64).
    case portable = 0
    /// AVX2 + FMA (x86-64).
    case avx2 = 1
    /// AVX-512F + FMA (x86-64).
    case avx512 = 2

    /// The fastest variant this CPU runs.
    public static let best = KernelVariant(rawValue: Int(deai_kernels_best_variant().rawValue)) ?? .portable

    /// Every variant this CPU runs, slowest first.
    public static var supported: [KernelVariant] { allCases.filter { $0.rawValue <= self.best.rawValue } }

    /// The variant used by kernels in the current task (default: ``best``).
    @TaskLocal public static var current: KernelVariant = .best

    /// Runs `body` with `variant` as the kernels' variant (lowered to ``best`` if the CPU lacks it).
    public static func withVariant<R>(_ variant: KernelVariant, _ body: () throws -> R) rethrows -> R {
        try self.$current.withValue(variant.rawValue <= self.best.rawValue ? variant : self.best, operation: body)
    }

    public var description: String {
        switch self {
        case .portable: "portable"
        case .avx2: "avx2"
        case .avx512: "avx512"
        }
    }

    /// The C enumeration value.
    var cValue: deai_kernel_variant { deai_kernel_variant(rawValue: UInt32(self.rawValue)) }
}
