// im2col / col2im for convolutions (portable C; memory-bound, so one variant).
#include "CLearningKernels.h"

/// The output columns ox whose input column ox * stride - pad + k lies in [0, width): [*first, *last).
static void valid_range(long outputs, long stride, long pad, long k, long width, long *first, long *last) {
    long lo = pad - k;  // need ox * stride >= lo
    long start = lo <= 0 ? 0 : (lo + stride - 1) / stride;
    long hi = width - 1 + pad - k;  // need ox * stride <= hi
    long end = hi < 0 ? 0 : hi / stride + 1;
    if (end > outputs) end = outputs;
    if (start > end) start = end;
    *first = start;
    *last = end;
}

void deai_im2col(const float *input, long channels, long height, long width,
                 long kh, long kw, long sh, long sw, long ph, long pw,
                 long oh, long ow, float *cols, long ldcols) {
    for (long ch = 0; ch < channels; ch++) {
        const float *plane = input + ch * height * width;
        for (long ky = 0; ky < kh; ky++) {
            for (long kx = 0; kx < kw; kx++) {
                float *row = cols + ((ch * kh + ky) * kw + kx) * ldcols;
                long first, last;
                valid_range(ow, sw, pw, kx, width, &first, &last);
                for (long oy = 0; oy < oh; oy++) {
                    long y = oy * sh - ph + ky;
                    float *out = row + oy * ow;
                    if (y < 0 || y >= height) {
                        for (long ox = 0; ox < ow; ox++) out[ox] = 0;
                        continue;
                    }
                    const float *line = plane + y * width;
                    long shift = kx - pw;
                    for (long ox = 0; ox < first; ox++) out[ox] = 0;
                    if (sw == 1) {
                        for (long ox = first; ox < last; ox++) out[ox] = line[ox + shift];
                    } else {
                        for (long ox = first; ox < last; ox++) out[ox] = line[ox * sw + shift];
                    }
                    for (long ox = last; ox < ow; ox++) out[ox] = 0;
                }
            }
        }
    }
}

void deai_col2im(const float *cols, long ldcols, long channels, long height, long width,
                 long kh, long kw, long sh, long sw, long ph, long pw,
                 long oh, long ow, float *input) {
    for (long ch = 0; ch < channels; ch++) {
        float *plane = input + ch * height * width;
        for (long ky = 0; ky < kh; ky++) {
            for (long kx = 0; kx < kw; kx++) {
                const float *row = cols + ((ch * kh + ky) * kw + kx) * ldcols;
                long first, last;
                valid_range(ow, sw, pw, kx, width, &first, &last);
                for (long oy = 0; oy < oh; oy++) {
                    long y = oy * sh - ph + ky;
                    if (y < 0 || y >= height) continue;
                    const float *in = row + oy * ow;
                    float *line = plane + y * width;
                    long shift = kx - pw;
                    if (sw == 1) {
                        for (long ox = first; ox < last; ox++) line[ox + shift] += in[ox];
                    } else {
                        for (long ox = first; ox < last; ox++) line[ox * sw + shift] += in[ox];
                    }
                }
            }
        }
    }
}
