// im2col / col2im for convolutions (portable C; memory-bound, so one variant).
//
// For each kernel offset (ky, kx), a table maps every output column (b, oy, ox) of the whole batch to the flat
// offset of its input pixel within one channel plane of sample b (-1 for padding). Each channel's row is then one
// long gather (im2col) or scatter-add (col2im) of batch * oh * ow elements, instead of many short loops of ow.
// Within one table, distinct columns hit distinct pixels, so the scatter-add has no conflicts.
#include "CLearningKernels.h"

#include <stdlib.h>

/// Fills table[(b * oh + oy) * ow + ox] for kernel offset (ky, kx); offsets are relative to channel 0 of sample 0.
static void offsets(long *table, long batch, long channels, long height, long width,
                    long ky, long kx, long sh, long sw, long ph, long pw, long oh, long ow) {
    long plane = height * width;
    long j = 0;
    for (long b = 0; b < batch; b++) {
        long sample = b * channels * plane;
        for (long oy = 0; oy < oh; oy++) {
            long y = oy * sh - ph + ky;
            int row_ok = y >= 0 && y < height;
            for (long ox = 0; ox < ow; ox++) {
                long x = ox * sw - pw + kx;
                table[j++] = (row_ok && x >= 0 && x < width) ? sample + y * width + x : -1;
            }
        }
    }
}

int deai_im2col(const float *input, long batch, long channels, long height, long width,
                long kh, long kw, long sh, long sw, long ph, long pw, long oh, long ow, float *cols) {
    long columns = batch * oh * ow;
    long plane = height * width;
    long *table = malloc((size_t)(columns > 0 ? columns : 1) * sizeof(long));
    if (!table) return -1;
    for (long ky = 0; ky < kh; ky++) {
        for (long kx = 0; kx < kw; kx++) {
            offsets(table, batch, channels, height, width, ky, kx, sh, sw, ph, pw, oh, ow);
            for (long ch = 0; ch < channels; ch++) {
                float *row = cols + ((ch * kh + ky) * kw + kx) * columns;
                const float *source = input + ch * plane;
                for (long j = 0; j < columns; j++) {
                    long offset = table[j];
                    row[j] = offset >= 0 ? source[offset] : 0.0f;
                }
            }
        }
    }
    free(table);
    return 0;
}

int deai_col2im(const float *cols, long batch, long channels, long height, long width,
                long kh, long kw, long sh, long sw, long ph, long pw, long oh, long ow, float *input) {
    long columns = batch * oh * ow;
    long plane = height * width;
    long *table = malloc((size_t)(columns > 0 ? columns : 1) * sizeof(long));
    if (!table) return -1;
    for (long ky = 0; ky < kh; ky++) {
        for (long kx = 0; kx < kw; kx++) {
            offsets(table, batch, channels, height, width, ky, kx, sh, sw, ph, pw, oh, ow);
            for (long ch = 0; ch < channels; ch++) {
                const float *row = cols + ((ch * kh + ky) * kw + kx) * columns;
                float *target = input + ch * plane;
                for (long j = 0; j < columns; j++) {
                    long offset = table[j];
                    if (offset >= 0) target[offset] += row[j];
                }
            }
        }
    }
    free(table);
    return 0;
}
