// GEMM driver: BLIS-style blocking (NC x KC panels of B, MC x KC blocks of A) around a register micro-kernel.
#include "CLearningKernels.h"
#include "gemm_internal.h"

#include <stdlib.h>
#include <string.h>

static deai_kernel_variant detect_variant(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) return DEAI_KERNELS_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return DEAI_KERNELS_AVX2;
#endif
    return DEAI_KERNELS_PORTABLE;
}

deai_kernel_variant deai_kernels_best_variant(void) {
    static int detected = -1;
    int current = __atomic_load_n(&detected, __ATOMIC_RELAXED);
    if (current < 0) {
        current = (int)detect_variant();
        __atomic_store_n(&detected, current, __ATOMIC_RELAXED);
    }
    return (deai_kernel_variant)current;
}

static deai_gemm_variant gemm_for(deai_kernel_variant requested) {
    deai_kernel_variant best = deai_kernels_best_variant();
    deai_kernel_variant variant = (int)requested > (int)best ? best : requested;
    switch (variant) {
#if defined(__x86_64__)
    case DEAI_KERNELS_AVX512: return deai_gemm_avx512();
    case DEAI_KERNELS_AVX2: return deai_gemm_avx2();
#endif
    default: return deai_gemm_portable();
    }
}

/// Per-thread packing buffers, grown on demand and kept for the thread's lifetime.
static _Thread_local float *pack_a = NULL;
static _Thread_local float *pack_b = NULL;
static _Thread_local size_t pack_a_count = 0;
static _Thread_local size_t pack_b_count = 0;

static float *reserve(float **buffer, size_t *count, size_t needed) {
    if (*count < needed) {
        free(*buffer);
        size_t bytes = ((needed * sizeof(float)) + 63) / 64 * 64;
        *buffer = aligned_alloc(64, bytes);
        *count = *buffer ? needed : 0;
    }
    return *buffer;
}

/// Packs a kc x nc block of B into panels of nr columns: dst[panel][p][0..<nr], zero-padded.
static void pack_b_block(long kc, long nc, long nr, const float *b, long rsb, long csb, float *dst) {
    for (long j = 0; j < nc; j += nr) {
        long width = nc - j < nr ? nc - j : nr;
        if (csb == 1) {
            for (long p = 0; p < kc; p++) {
                float *out = dst + p * nr;
                memcpy(out, b + p * rsb + j, (size_t)width * sizeof(float));
                for (long jj = width; jj < nr; jj++) out[jj] = 0;
            }
        } else {
            if (width < nr) memset(dst, 0, (size_t)(kc * nr) * sizeof(float));
            for (long jj = 0; jj < width; jj++) {
                const float *src = b + (j + jj) * csb;
                for (long p = 0; p < kc; p++) dst[p * nr + jj] = src[p * rsb];
            }
        }
        dst += kc * nr;
    }
}

/// Packs an mc x kc block of A into panels of mr rows: dst[panel][p][0..<mr], zero-padded.
static void pack_a_block(long mc, long kc, long mr, const float *a, long rsa, long csa, float *dst) {
    for (long i = 0; i < mc; i += mr) {
        long height = mc - i < mr ? mc - i : mr;
        if (rsa == 1) {
            for (long p = 0; p < kc; p++) {
                const float *src = a + i + p * csa;
                float *out = dst + p * mr;
                memcpy(out, src, (size_t)height * sizeof(float));
                for (long ii = height; ii < mr; ii++) out[ii] = 0;
            }
        } else {
            if (height < mr) memset(dst, 0, (size_t)(kc * mr) * sizeof(float));
            for (long ii = 0; ii < height; ii++) {
                const float *src = a + (i + ii) * rsa;
                for (long p = 0; p < kc; p++) dst[p * mr + ii] = src[p * csa];
            }
        }
        dst += kc * mr;
    }
}

void deai_sgemm(long m, long n, long k,
                const float *a, long rsa, long csa,
                const float *b, long rsb, long csb,
                float *c, long ldc, int accumulate, deai_kernel_variant variant) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        if (!accumulate) {
            for (long i = 0; i < m; i++) memset(c + i * ldc, 0, (size_t)n * sizeof(float));
        }
        return;
    }
    deai_gemm_variant v = gemm_for(variant);
    long nc_max = n < DEAI_GEMM_NC ? (n + v.nr - 1) / v.nr * v.nr : DEAI_GEMM_NC;
    long kc_max = k < DEAI_GEMM_KC ? k : DEAI_GEMM_KC;
    long mc_max = m < DEAI_GEMM_MC ? (m + v.mr - 1) / v.mr * v.mr : DEAI_GEMM_MC;
    float *bp = reserve(&pack_b, &pack_b_count, (size_t)(kc_max * nc_max));
    float *ap = reserve(&pack_a, &pack_a_count, (size_t)(kc_max * mc_max));
    if (!bp || !ap) abort();  // out of memory: nothing sensible to return from a kernel

    for (long jc = 0; jc < n; jc += DEAI_GEMM_NC) {
        long nc = n - jc < DEAI_GEMM_NC ? n - jc : DEAI_GEMM_NC;
        for (long pc = 0; pc < k; pc += DEAI_GEMM_KC) {
            long kc = k - pc < DEAI_GEMM_KC ? k - pc : DEAI_GEMM_KC;
            int add = accumulate || pc > 0;
            pack_b_block(kc, nc, v.nr, b + pc * rsb + jc * csb, rsb, csb, bp);
            for (long ic = 0; ic < m; ic += DEAI_GEMM_MC) {
                long mc = m - ic < DEAI_GEMM_MC ? m - ic : DEAI_GEMM_MC;
                pack_a_block(mc, kc, v.mr, a + ic * rsa + pc * csa, rsa, csa, ap);
                for (long jr = 0; jr < nc; jr += v.nr) {
                    long nv = nc - jr < v.nr ? nc - jr : v.nr;
                    for (long ir = 0; ir < mc; ir += v.mr) {
                        long mv = mc - ir < v.mr ? mc - ir : v.mr;
                        v.kernel(kc, ap + ir * kc, bp + jr * kc, c + (ic + ir) * ldc + jc + jr, ldc, mv, nv, add);
                    }
                }
            }
        }
    }
}

// MARK: - B packed once, shared by threads that split the rows of C

/// Packed layout: k block pc (rows [pc, pc + kc)) starts at pc * padded_n; panel j within it at j * kc.
static long padded_columns(long n, long nr) { return (n + nr - 1) / nr * nr; }

long deai_sgemm_packed_b_count(long n, long k, deai_kernel_variant variant) {
    deai_gemm_variant v = gemm_for(variant);
    return padded_columns(n, v.nr) * (k > 0 ? k : 1);
}

void deai_sgemm_pack_b(long n, long k, const float *b, long rsb, long csb, long first_column, long end_column,
                       float *packed, deai_kernel_variant variant) {
    deai_gemm_variant v = gemm_for(variant);
    long padded = padded_columns(n, v.nr);
    if (end_column > n) end_column = n;
    if (first_column >= end_column) return;
    for (long pc = 0; pc < k; pc += DEAI_GEMM_KC) {
        long kc = k - pc < DEAI_GEMM_KC ? k - pc : DEAI_GEMM_KC;
        pack_b_block(kc, end_column - first_column, v.nr, b + pc * rsb + first_column * csb, rsb, csb,
                     packed + pc * padded + first_column * kc);
    }
}

void deai_sgemm_packed(long m, long n, long k, const float *a, long rsa, long csa, const float *packed,
                       float *c, long ldc, int accumulate, deai_kernel_variant variant) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        if (!accumulate) {
            for (long i = 0; i < m; i++) memset(c + i * ldc, 0, (size_t)n * sizeof(float));
        }
        return;
    }
    deai_gemm_variant v = gemm_for(variant);
    long padded = padded_columns(n, v.nr);
    long kc_max = k < DEAI_GEMM_KC ? k : DEAI_GEMM_KC;
    long mc_max = m < DEAI_GEMM_MC ? (m + v.mr - 1) / v.mr * v.mr : DEAI_GEMM_MC;
    float *ap = reserve(&pack_a, &pack_a_count, (size_t)(kc_max * mc_max));
    if (!ap) abort();  // out of memory: nothing sensible to return from a kernel
    for (long pc = 0; pc < k; pc += DEAI_GEMM_KC) {
        long kc = k - pc < DEAI_GEMM_KC ? k - pc : DEAI_GEMM_KC;
        int add = accumulate || pc > 0;
        const float *bp = packed + pc * padded;
        for (long ic = 0; ic < m; ic += DEAI_GEMM_MC) {
            long mc = m - ic < DEAI_GEMM_MC ? m - ic : DEAI_GEMM_MC;
            pack_a_block(mc, kc, v.mr, a + ic * rsa + pc * csa, rsa, csa, ap);
            for (long jr = 0; jr < n; jr += v.nr) {
                long nv = n - jr < v.nr ? n - jr : v.nr;
                for (long ir = 0; ir < mc; ir += v.mr) {
                    long mv = mc - ir < v.mr ? mc - ir : v.mr;
                    v.kernel(kc, ap + ir * kc, bp + jr * kc, c + (ic + ir) * ldc + jr, ldc, mv, nv, add);
                }
            }
        }
    }
}
