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

void deai_columns_to_batch(const float *restrict y, const float *restrict bias, long batch, long filters,
                           long positions, float *restrict out) {
    long width = batch * positions;
    for (long b = 0; b < batch; b++) {
        for (long f = 0; f < filters; f++) {
            const float *source = y + f * width + b * positions;
            float *target = out + (b * filters + f) * positions;
            float shift = bias ? bias[f] : 0.0f;
            for (long p = 0; p < positions; p++) target[p] = source[p] + shift;
        }
    }
}

void deai_batch_to_columns(const float *restrict gradient, long batch, long filters, long positions,
                           float *restrict y, float *restrict bias_gradient) {
    long width = batch * positions;
    for (long f = 0; f < filters; f++) bias_gradient[f] = 0.0f;
    for (long b = 0; b < batch; b++) {
        for (long f = 0; f < filters; f++) {
            const float *source = gradient + (b * filters + f) * positions;
            float *target = y + f * width + b * positions;
            float total = 0.0f;
            for (long p = 0; p < positions; p++) {
                target[p] = source[p];
                total += source[p];
            }
            bias_gradient[f] += total;
        }
    }
}
