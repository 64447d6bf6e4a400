// CLearningKernels: the hot loops of DeAI's Learning target (matrix multiply, im2col / col2im).
//
// Each kernel has up to three variants: AVX-512 + FMA, AVX2 + FMA (x86-64 only) and a portable C fallback.
// The variant is chosen once, at first use, with __builtin_cpu_supports; no compiler flag is needed.
//
// Determinism: every output element is computed by exactly one call, with a summation order that depends only
// on k (blocks of DEAI_GEMM_KC, in order), never on how the caller split the output among threads. A given
// variant therefore returns the same bits for any partition of C. Different variants may differ in the last bits.
#ifndef CLEARNINGKERNELS_H
#define CLEARNINGKERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The instruction-set variants of the kernels.
typedef enum {
    DEAI_KERNELS_PORTABLE = 0,
    DEAI_KERNELS_AVX2 = 1,
    DEAI_KERNELS_AVX512 = 2,
} deai_kernel_variant;

/// The fastest variant this CPU runs (detected once); every lower variant runs too.
deai_kernel_variant deai_kernels_best_variant(void);

/// C[i, j] (+)= sum_p A[i, p] * B[p, j] for i < m, j < n, p < k.
/// A is addressed as a[i * rsa + p * csa], B as b[p * rsb + j * csb], C as c[i * ldc + j].
/// With accumulate == 0, C is overwritten; otherwise the product is added to it.
/// variant: the micro-kernel to use; a variant above deai_kernels_best_variant() is lowered to it.
void deai_sgemm(long m, long n, long k,
                const float *a, long rsa, long csa,
                const float *b, long rsb, long csb,
                float *c, long ldc, int accumulate, deai_kernel_variant variant);

/// Floats needed to hold all of B (k x n) packed for deai_sgemm_packed with this variant.
long deai_sgemm_packed_b_count(long n, long k, deai_kernel_variant variant);

/// Packs the column panels of B that start in [first_column, end_column) into packed (shared by every
/// deai_sgemm_packed call on this B). first_column must be a multiple of 32 (every variant's panel width divides it).
/// Different column ranges can be packed concurrently.
void deai_sgemm_pack_b(long n, long k, const float *b, long rsb, long csb, long first_column, long end_column,
                       float *packed, deai_kernel_variant variant);

/// Like deai_sgemm for rows [0, m) of A and C, reading B from a buffer filled by deai_sgemm_pack_b (all columns).
/// Same summation order, so the same bits as deai_sgemm.
void deai_sgemm_packed(long m, long n, long k, const float *a, long rsa, long csa, const float *packed,
                       float *c, long ldc, int accumulate, deai_kernel_variant variant);

/// Unfolds a batch of 2-D convolution inputs (batch, channels, height, width) into columns:
/// cols[(ch * kh + ky) * kw + kx][(b * oh + oy) * ow + ox] = input[b][ch][oy * sh - ph + ky][ox * sw - pw + kx]
/// (0 outside the input). cols has batch * oh * ow columns.
/// Returns 0, or -1 when the index table cannot be allocated.
int deai_im2col(const float *input, long batch, long channels, long height, long width,
                long kh, long kw, long sh, long sw, long ph, long pw, long oh, long ow, float *cols);

/// The adjoint of deai_im2col: adds the columns back into a batch of input-shaped gradients (not cleared first).
/// Returns 0, or -1 when the index table cannot be allocated.
int deai_col2im(const float *cols, long batch, long channels, long height, long width,
                long kh, long kw, long sh, long sw, long ph, long pw, long oh, long ow, float *input);

/// Convolution output layout: out[b][f][p] = y[f][b * positions + p] + (bias ? bias[f] : 0).
void deai_columns_to_batch(const float *restrict y, const float *restrict bias, long batch, long filters,
                           long positions, float *restrict out);

/// The adjoint of deai_columns_to_batch: y[f][b * positions + p] = gradient[b][f][p], and
/// bias_gradient[f] = the sum over b and p (summed per sample in order, then over samples in order).
void deai_batch_to_columns(const float *restrict gradient, long batch, long filters, long positions,
                           float *restrict y, float *restrict bias_gradient);

/// y[i] = max(x[i], 0).
void deai_relu_forward(const float *restrict x, float *restrict y, long n);

/// dx[i] = y[i] > 0 ? g[i] : 0 (y is the forward output).
void deai_relu_backward(const float *restrict g, const float *restrict y, float *restrict dx, long n);

#ifdef __cplusplus
}
#endif

#endif
