// AVX2 + FMA micro-kernel: a 6 x 16 tile of C in 12 ymm accumulators.
#include "gemm_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define MR 6
#define NR 16

__attribute__((target("avx2,fma")))
static void kernel_avx2(long kc, const float *a, const float *b, float *c, long ldc,
                        long m_valid, long n_valid, int add) {
    __m256 acc[MR][2];
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; i++) {
        acc[i][0] = _mm256_setzero_ps();
        acc[i][1] = _mm256_setzero_ps();
    }
    for (long p = 0; p < kc; p++) {
        __m256 b0 = _mm256_loadu_ps(b);
        __m256 b1 = _mm256_loadu_ps(b + 8);
#pragma clang loop unroll(full)
        for (int i = 0; i < MR; i++) {
            __m256 ai = _mm256_broadcast_ss(a + i);
            acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
        }
        a += MR;
        b += NR;
    }
    if (m_valid == MR && n_valid == NR) {
#pragma clang loop unroll(full)
        for (int i = 0; i < MR; i++) {
            float *row = c + i * ldc;
            if (add) {
                _mm256_storeu_ps(row, _mm256_add_ps(_mm256_loadu_ps(row), acc[i][0]));
                _mm256_storeu_ps(row + 8, _mm256_add_ps(_mm256_loadu_ps(row + 8), acc[i][1]));
            } else {
                _mm256_storeu_ps(row, acc[i][0]);
                _mm256_storeu_ps(row + 8, acc[i][1]);
            }
        }
        return;
    }
    float tile[MR][NR];
    for (int i = 0; i < MR; i++) {
        _mm256_storeu_ps(tile[i], acc[i][0]);
        _mm256_storeu_ps(tile[i] + 8, acc[i][1]);
    }
    for (long i = 0; i < m_valid; i++) {
        float *row = c + i * ldc;
        for (long j = 0; j < n_valid; j++) row[j] = add ? row[j] + tile[i][j] : tile[i][j];
    }
}

deai_gemm_variant deai_gemm_avx2(void) {
    deai_gemm_variant v = {MR, NR, kernel_avx2};
    return v;
}
#endif
