package bitsweep.quant;

import java.util.Locale;

/** What the range optimiser learns (spec §2.2, §2.7, flag {@code --learned-scale}). */
public enum LearnedScale {
    /** Trainable {@code x_max}, PACT clipping (every README command). */
    RANGE,
    /** Trainable {@code s_2}; the clipping range is rebuilt from it each call (spec §2.7). */
    SCALE,
    /** Range fixed after initialisation and no clipping. */
    NONE;

    public static LearnedScale parse(String flag) {
        return valueOf(flag.toUpperCase(Locale.ROOT));
    }
}
