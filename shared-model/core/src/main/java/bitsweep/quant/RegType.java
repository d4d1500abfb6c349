package bitsweep.quant;

import java.util.Locale;

/** Regulariser prior (spec §5.1, flag {@code --reg-type}). */
public enum RegType {
    /** Per-bit cost {@code (M_i/M_max)·b} for quantizers with a MAC count. */
    BOP("bop"),
    /** Unit cost per gate step. */
    CONST("const"),
    /**
     * Not in the paper: the expected BOP count itself, {@code Σ_j M_j·E[b_A]·E[b_W]·E[k_j]·E[k_{j−1}]},
     * scaled by {@code 1/(4·M_max)} (see {@code bitsweep.bops.ExpectedBops} and docs/regularisers.md).
     */
    BOP_EXACT("bop-exact");

    private final String flag;

    RegType(String flag) {
        this.flag = flag;
    }

    /** The value as written on the command line and in sweep files. */
    public String flag() {
        return flag;
    }

    public static RegType parse(String flag) {
        for (RegType t : values()) {
            if (t.flag.equals(flag.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("reg-type: expected one of bop, const, bop-exact, got '" + flag + "'");
    }
}
