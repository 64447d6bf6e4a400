// AVX-512 + FMA micro-kernel: a 12 x 32 tile of C in 24 zmm accumulators.
#include "gemm_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define MR 12
#define NR 32

__attribute__((target("avx512f,fma")))
static void kernel_avx512(long kc, const float *a, const float *b, float *c, long ldc,
                          long m_valid, long n_valid, int add) {
    __m512 acc[MR][2];
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; i++) {
        acc[i][0] = _mm512_setzero_ps();
        acc[i][1] = _mm512_setzero_ps();
    }
    for (long p = 0; p < kc; p++) {
        __m512 b0 = _mm512_loadu_ps(b);
        __m512 b1 = _mm512_loadu_ps(b + 16);
#pragma clang loop unroll(full)
        for (int i = 0; i < MR; i++) {
            __m512 ai = _mm512_set1_ps(a[i]);
            acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
        }
        a += MR;
        b += NR;
    }
    if (m_valid == MR && n_valid == NR) {
#pragma clang loop unroll(full)
        for (int i = 0; i < MR; i++) {
            float *row = c + i * ldc;
            if (add) {
                _mm512_storeu_ps(row, _mm512_add_ps(_mm512_loadu_ps(row), acc[i][0]));
                _mm512_storeu_ps(row + 16, _mm512_add_ps(_mm512_loadu_ps(row + 16), acc[i][1]));
            } else {
                _mm512_storeu_ps(row, acc[i][0]);
                _mm512_storeu_ps(row + 16, acc[i][1]);
            }
        }
        return;
    }
    long lo = n_valid < 16 ? n_valid : 16;
    long hi = n_valid > 16 ? n_valid - 16 : 0;
    __mmask16 mask0 = (__mmask16)((1u << lo) - 1u);
    __mmask16 mask1 = (__mmask16)((1u << hi) - 1u);
    for (int i = 0; i < MR; i++) {
        if (i >= m_valid) break;
        float *row = c + i * ldc;
        __m512 v0 = acc[i][0];
        __m512 v1 = acc[i][1];
        if (add) {
            v0 = _mm512_add_ps(_mm512_maskz_loadu_ps(mask0, row), v0);
            v1 = _mm512_add_ps(_mm512_maskz_loadu_ps(mask1, row + 16), v1);
        }
        _mm512_mask_storeu_ps(row, mask0, v0);
        _mm512_mask_storeu_ps(row + 16, mask1, v1);
    }
}

deai_gemm_variant deai_gemm_avx512(void) {
    deai_gemm_variant v = {MR, NR, kernel_avx512};
    return v;
}
#endif
