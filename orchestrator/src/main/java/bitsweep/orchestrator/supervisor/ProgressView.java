package bitsweep.orchestrator.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The live progress block a terminal shows during {@code bitsweep run}: one summary line with a bar of
 * finished trials, then one line per worker with a bar of its trial's epochs. Pure text: every line fits
 * {@code width} columns (longer ones are cut with "…"), so redrawing the block in place never wraps.
 */
public final class ProgressView {
    static final int BAR = 20;

    private ProgressView() {
    }

    public static List<String> render(SweepProgress p, int width) {
        List<String> lines = new ArrayList<>();
        long finished = p.completed() + p.failed() + p.cancelled();
        StringBuilder head = new StringBuilder();
        head.append(p.sweep()).append(' ').append(bar(finished, p.total())).append(' ')
                .append(finished).append('/').append(p.total()).append(" done");
        head.append("  ").append(p.running()).append(" running, ").append(p.queued()).append(" queued");
        if (p.failed() > 0) {
            head.append(", ").append(p.failed()).append(" failed");
        }
        if (p.cancelled() > 0) {
            head.append(", ").append(p.cancelled()).append(" cancelled");
        }
        head.append("  ETA ").append(Double.isNaN(p.etaSeconds()) ? "?" : ConsoleView.duration(p.etaSeconds()));
        lines.add(fit(head.toString(), width));
        if (p.workers().isEmpty()) {
            lines.add(fit("  waiting for workers to join…", width));
        }
        int nameWidth = p.workers().stream().mapToInt(w -> label(w).length()).max().orElse(0);
        for (SweepProgress.WorkerProgress w : p.workers()) {
            StringBuilder sb = new StringBuilder("  ");
            sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s ", label(w)));
            if (w.trialId() == null) {
                sb.append(" ".repeat(BAR + 2)).append(" idle");
            } else {
                sb.append(bar(w.epoch(), w.totalEpochs())).append(' ');
                sb.append("epoch ").append(w.epoch()).append('/').append(w.totalEpochs() > 0 ? w.totalEpochs() : "?");
                sb.append("  ETA ").append(Double.isNaN(w.etaSeconds()) ? "?" : ConsoleView.duration(w.etaSeconds()));
                sb.append("  ").append(w.trialId());
            }
            lines.add(fit(sb.toString(), width));
        }
        return lines;
    }

    /** The worker's name without a loopback address (local mode: every worker is on this machine) and its device. */
    static String label(SweepProgress.WorkerProgress w) {
        String name = LOOPBACK.matcher(w.name()).replaceFirst("");
        return name.endsWith(w.device()) ? name : name + " " + w.device();
    }

    private static final java.util.regex.Pattern LOOPBACK =
            java.util.regex.Pattern.compile("^(pekko://[^@/]+@)?127\\.0\\.0\\.1:\\d+/(user/)?");

    /** {@code [#####.....]}: done of total in {@value #BAR} cells; an unknown total shows an empty bar. */
    static String bar(long done, long total) {
        int filled = total <= 0 ? 0 : (int) Math.min(BAR, done * BAR / total);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "]";
    }

    static String fit(String line, int width) {
        int w = Math.max(10, width);
        return line.length() <= w ? line : line.substring(0, w - 1) + "…";
    }
}
