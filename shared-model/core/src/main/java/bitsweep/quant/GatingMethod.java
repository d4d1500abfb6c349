package bitsweep.quant;

import java.util.Locale;

/** How training-time gates are produced (spec §3.2, flag {@code --gating-method}). */
public enum GatingMethod {
    /** Fresh hard-concrete sample per forward pass (every README command). */
    L0,
    /** Deterministic {@code clamp(σ(log α/β)(ζ−γ)+γ, 0, 1)}. */
    FIXED;

    public static GatingMethod parse(String flag) {
        return valueOf(flag.toUpperCase(Locale.ROOT));
    }
}
