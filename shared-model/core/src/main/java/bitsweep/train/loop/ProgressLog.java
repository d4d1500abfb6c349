package bitsweep.train.loop;

import bitsweep.artifact.LayerBits;
import bitsweep.bops.BopsReport;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The trainer's human-readable log: periodic batch lines and the per-evaluation bit table. */
public final class ProgressLog {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);
    private static final long INTERVAL_NANOS = 10_000_000_000L;
    private static final int INTERVAL_BATCHES = 100;

    private final String trialId;
    private long lastLog = System.nanoTime();

    public ProgressLog(String trialId) {
        this.trialId = trialId;
    }

    /** Logs a batch line every {@value #INTERVAL_BATCHES} batches or 10 s, and at the epoch's end. */
    public void batch(String phase, int epoch, int totalEpochs, int batch, int batches, double loss, double ce,
                      double reg, double imagesPerSecond, double epochSecondsLeft, double runSecondsLeft) {
        long now = System.nanoTime();
        if (batch % INTERVAL_BATCHES != 0 && batch != batches && now - lastLog < INTERVAL_NANOS) {
            return;
        }
        lastLog = now;
        LOG.info(String.format(Locale.ROOT,
                "[%s] %s epoch %d/%d batch %d/%d loss %.4f ce %.4f reg %.3f | %.0f img/s | ETA epoch %s, run %s",
                trialId, phase, epoch, totalEpochs, batch, batches, loss, ce, reg, imagesPerSecond,
                duration(epochSecondsLeft), duration(runSecondsLeft)));
    }

    public void evaluation(String phase, int epoch, Double top1, BopsReport bops, Map<String, double[]> gateLogits) {
        LOG.info(String.format(Locale.ROOT, "[%s] %s epoch %d: top-1 %s, relative BOPs %.4f %% (%.4f GBOPs)",
                trialId, phase, epoch, top1 == null ? "not evaluated" : String.format(Locale.ROOT, "%.2f %%", top1),
                bops.relativeBops(), bops.gbops()));
        LOG.info("[{}] bit table:\n{}", trialId, bitTable(bops, gateLogits));
    }

    /** Per layer: bits of input/weights/output, kept channels, keep ratio, BOPs; then gate logits. */
    public static String bitTable(BopsReport bops, Map<String, double[]> gateLogits) {
        return bitTable(bops.layers(), gateLogits);
    }

    public static String bitTable(java.util.List<LayerBits> layers, Map<String, double[]> gateLogits) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-28s %6s %6s %6s %11s %8s %14s%n",
                "layer", "in b", "w b", "out b", "kept/ch", "keep", "BOPs"));
        for (LayerBits l : layers) {
            sb.append(String.format(Locale.ROOT, "  %-28s %6d %6d %6d %5d/%-5d %8.4f %14.0f%n", l.layer(),
                    l.inputBits(), l.weightBits(), l.outputBits(), l.keptChannels(), l.channels(), l.keepRatio(),
                    l.bops()));
        }
        if (gateLogits != null && !gateLogits.isEmpty()) {
            sb.append("  gate logits (log α_4, log α_8, … per quantizer; .prune_mean = mean pruning logit):\n");
            gateLogits.forEach((name, values) -> {
                sb.append("    ").append(name).append(':');
                for (double v : values) {
                    sb.append(String.format(Locale.ROOT, " %.3f", v));
                }
                sb.append('\n');
            });
        }
        return sb.toString().stripTrailing();
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
