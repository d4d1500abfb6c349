package bitsweep.sweep;

import bitsweep.io.Json;
import bitsweep.trial.TrialConfig;
import bitsweep.trial.TrialFlags;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stable trial ids: a readable prefix ({@code mu0.05-pruning-s0-}) plus 10 hex characters of the
 * SHA-256 of the trial's own resolved configuration and variant in canonical JSON (keys sorted).
 * Because the hash sees only the trial itself, re-parsing the file, reordering keys, editing
 * comments or adding a value to one axis leaves every other trial's id, and so its results, alone.
 *
 * <p>Where a machine keeps its data ({@code data-dir}, the {@code pretrained} weights path) and how
 * often it checkpoints do not change what a trial computes, so they are left out of the hash: the
 * same sweep file validated on the orchestrator and on a laptop with a different {@code DATA_DIR}
 * yields the same ids. Only whether pretrained weights are used enters the hash.
 */
public final class TrialIds {
    private TrialIds() {
    }

    /** The id of a trial with this resolved configuration in this variant. */
    public static String of(String variant, TrialConfig resolved) {
        return prefix(variant, resolved) + hash(variant, resolved);
    }

    /** The canonical JSON the hash is taken over (visible for tests and debugging). */
    static String canonicalJson(String variant, TrialConfig resolved) {
        // the flag table says of each flag whether it is left out or hashed only as set (TrialFlag.inTrialId)
        Map<String, Object> config = new TreeMap<>(TrialFlags.toTrialIdMap(resolved));
        Map<String, Object> doc = new TreeMap<>();
        doc.put("config", config);
        doc.put("variant", variant);
        try {
            return Json.CANONICAL.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise trial config", e);
        }
    }

    private static String prefix(String variant, TrialConfig c) {
        return "mu" + plain(c.gatingLambda()) + "-" + variant + "-s" + c.seed() + "-";
    }

    private static String hash(String variant, TrialConfig resolved) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalJson(variant, resolved).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    /** 0.05 → "0.05", 1e-5 → "0.00001", 1.0 → "1": short and free of exponent letters. */
    static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
