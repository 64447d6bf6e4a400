// Portable micro-kernel: a 4 x 16 tile of C in plain C that compilers vectorize for the target (SSE2, NEON).
#include "gemm_internal.h"

#define MR 4
#define NR 16

static void kernel_portable(long kc, const float *a, const float *b, float *c, long ldc,
                            long m_valid, long n_valid, int add) {
    float acc[MR][NR] = {{0}};
    for (long p = 0; p < kc; p++) {
        for (int i = 0; i < MR; i++) {
            float ai = a[i];
            for (int j = 0; j < NR; j++) acc[i][j] += ai * b[j];
        }
        a += MR;
        b += NR;
    }
    for (long i = 0; i < m_valid; i++) {
        float *row = c + i * ldc;
        for (long j = 0; j < n_valid; j++) row[j] = add ? row[j] + acc[i][j] : acc[i][j];
    }
}

deai_gemm_variant deai_gemm_portable(void) {
    deai_gemm_variant v = {MR, NR, kernel_portable};
    return v;
}
