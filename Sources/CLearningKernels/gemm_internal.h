// Shared declarations of the GEMM driver and its micro-kernels (private to CLearningKernels).
#ifndef DEAI_GEMM_INTERNAL_H
#define DEAI_GEMM_INTERNAL_H

/// Depth of one k block. Fixed for every variant and every thread count: the summation order depends on it.
#define DEAI_GEMM_KC 256
/// Rows of A packed at once (a multiple of every variant's MR).
#define DEAI_GEMM_MC 192
/// Columns of B packed at once (a multiple of every variant's NR).
#define DEAI_GEMM_NC 2048

/// Computes an mr x nr tile: acc = sum over kc of a_packed[p][0..<MR] (x) b_packed[p][0..<NR], then stores
/// (rows < m_valid, columns < n_valid) into c, adding to it when add != 0.
typedef void (*deai_ukernel)(long kc, const float *a_packed, const float *b_packed,
                             float *c, long ldc, long m_valid, long n_valid, int add);

typedef struct {
    long mr;
    long nr;
    deai_ukernel kernel;
} deai_gemm_variant;

deai_gemm_variant deai_gemm_portable(void);
#if defined(__x86_64__)
deai_gemm_variant deai_gemm_avx2(void);
deai_gemm_variant deai_gemm_avx512(void);
#endif

#endif
