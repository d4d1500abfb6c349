package bitsweep.data;

/**
 * Bilinear resampling of an RGB image (packed {@code int} pixels) into CHW floats in [0, 1].
 * Like PIL's bilinear filter (which torchvision uses for PIL images), the triangle kernel is
 * widened by the scale factor when shrinking, so downscaled images are antialiased instead of
 * sampling every n-th pixel. Separable: one horizontal and one vertical pass.
 */
final class ImageResampler {

    private ImageResampler() {
    }

    /** Pixel weights of one output coordinate along one axis. */
    private record Taps(int[] start, float[][] weights) {
    }

    /**
     * Resizes the source window ({@code x0, y0, w, h}) to {@code scaledW × scaledH} and writes the
     * output window ({@code outX, outY, outW, outH}) of that resized image into {@code dst} as
     * CHW, mirrored left-right when {@code flip}.
     */
    static void resample(int[] rgb, int stride, int x0, int y0, int w, int h, int scaledW, int scaledH,
                         int outX, int outY, int outW, int outH, boolean flip, float[] dst, int offset) {
        Taps xs = taps(x0, w, scaledW, outX, outW);
        Taps ys = taps(y0, h, scaledH, outY, outH);
        // Horizontal pass over the rows the vertical taps need, as floats in [0, 255].
        int rowLo = ys.start[0];
        int rowHi = rowLo;
        for (int o = 0; o < outH; o++) {
            rowHi = Math.max(rowHi, ys.start[o] + ys.weights[o].length);
        }
        int rows = rowHi - rowLo;
        float[] tmp = new float[3 * rows * outW];
        for (int r = 0; r < rows; r++) {
            int rowBase = (rowLo + r) * stride;
            for (int o = 0; o < outW; o++) {
                float red = 0;
                float green = 0;
                float blue = 0;
                float[] wts = xs.weights[o];
                int base = rowBase + xs.start[o];
                for (int k = 0; k < wts.length; k++) {
                    int p = rgb[base + k];
                    red += wts[k] * ((p >>> 16) & 0xFF);
                    green += wts[k] * ((p >>> 8) & 0xFF);
                    blue += wts[k] * (p & 0xFF);
                }
                int t = r * outW + o;
                tmp[t] = red;
                tmp[rows * outW + t] = green;
                tmp[2 * rows * outW + t] = blue;
            }
        }
        int plane = outW * outH;
        for (int c = 0; c < 3; c++) {
            int tmpPlane = c * rows * outW;
            for (int oy = 0; oy < outH; oy++) {
                float[] wts = ys.weights[oy];
                int first = ys.start[oy] - rowLo;
                int dstRow = offset + c * plane + oy * outW;
                for (int ox = 0; ox < outW; ox++) {
                    float v = 0;
                    for (int k = 0; k < wts.length; k++) {
                        v += wts[k] * tmp[tmpPlane + (first + k) * outW + ox];
                    }
                    float unit = Math.min(1f, Math.max(0f, v / 255f));
                    dst[dstRow + (flip ? outW - 1 - ox : ox)] = unit;
                }
            }
        }
    }

    /** Weights mapping output coordinates {@code out0 … out0+n-1} of a {@code scaled}-long axis onto source {@code src0 … src0+size-1}. */
    private static Taps taps(int src0, int size, int scaled, int out0, int n) {
        double scale = (double) size / scaled;
        double filterScale = Math.max(scale, 1.0);
        double support = filterScale; // the bilinear kernel has radius 1 in output units
        int[] start = new int[n];
        float[][] weights = new float[n][];
        for (int o = 0; o < n; o++) {
            double center = (out0 + o + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(center - support));
            int hi = Math.min(size, (int) Math.ceil(center + support));
            float[] w = new float[Math.max(1, hi - lo)];
            double sum = 0;
            for (int i = lo; i < hi; i++) {
                double d = Math.abs((i + 0.5 - center) / filterScale);
                double v = d < 1 ? 1 - d : 0;
                w[i - lo] = (float) v;
                sum += v;
            }
            if (sum <= 0) { // cannot happen for a valid window; keep the nearest pixel
                lo = Math.min(size - 1, Math.max(0, (int) center));
                w = new float[] {1f};
                sum = 1;
            }
            for (int i = 0; i < w.length; i++) {
                w[i] /= (float) sum;
            }
            start[o] = src0 + lo;
            weights[o] = w;
        }
        return new Taps(start, weights);
    }
}
