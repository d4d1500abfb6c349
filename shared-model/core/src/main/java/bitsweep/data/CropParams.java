package bitsweep.data;

import java.util.Random;

/**
 * A crop window ({@code left, top, width, height}) of a {@code W × H} image, with torchvision's
 * rules for the ImageNet transforms.
 */
record CropParams(int left, int top, int width, int height) {

    static final double MIN_AREA = 0.08;
    static final double MAX_AREA = 1.0;
    static final double MIN_RATIO = 3.0 / 4.0;
    static final double MAX_RATIO = 4.0 / 3.0;

    /**
     * {@code RandomResizedCrop.get_params}: up to 10 attempts at an area fraction in [0.08, 1] and
     * a log-uniform aspect ratio in [3/4, 4/3] that fits; otherwise the centre crop with the
     * aspect ratio clamped into that range.
     */
    static CropParams randomResized(int w, int h, Random rng) {
        double area = (double) w * h;
        double logMin = Math.log(MIN_RATIO);
        double logMax = Math.log(MAX_RATIO);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (MIN_AREA + (MAX_AREA - MIN_AREA) * rng.nextDouble());
            double ratio = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int cw = (int) Math.round(Math.sqrt(target * ratio));
            int ch = (int) Math.round(Math.sqrt(target / ratio));
            if (cw > 0 && cw <= w && ch > 0 && ch <= h) {
                int top = rng.nextInt(h - ch + 1);
                int left = rng.nextInt(w - cw + 1);
                return new CropParams(left, top, cw, ch);
            }
        }
        double inRatio = (double) w / h;
        int cw;
        int ch;
        if (inRatio < MIN_RATIO) {
            cw = w;
            ch = (int) Math.round(w / MIN_RATIO);
        } else if (inRatio > MAX_RATIO) {
            ch = h;
            cw = (int) Math.round(h * MAX_RATIO);
        } else {
            cw = w;
            ch = h;
        }
        return new CropParams((w - cw) / 2, (h - ch) / 2, cw, ch);
    }
}
