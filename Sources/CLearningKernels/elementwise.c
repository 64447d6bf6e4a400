// Elementwise kernels whose branches Swift does not vectorize (portable C; the compiler vectorizes them).
#include "CLearningKernels.h"

void deai_relu_forward(const float *restrict x, float *restrict y, long n) {
    for (long i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void deai_relu_backward(const float *restrict g, const float *restrict y, float *restrict dx, long n) {
    for (long i = 0; i < n; i++) {
        float gradient = g[i];  // loaded unconditionally, so the select vectorizes without branches
        dx[i] = y[i] > 0.0f ? gradient : 0.0f;
    }
}
