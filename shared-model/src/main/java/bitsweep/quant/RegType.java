package bitsweep.quant;

import java.util.Locale;

/** Regulariser prior (spec §5.1, flag {@code --reg-type}). */
public enum RegType {
    /** Per-bit cost {@code (M_i/M_max)·b} for quantizers with a MAC count. */
    BOP,
    /** Unit cost per gate step. */
    CONST;

    public static RegType parse(String flag) {
        return valueOf(flag.toUpperCase(Locale.ROOT));
    }
}
