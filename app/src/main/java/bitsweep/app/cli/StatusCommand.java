package bitsweep.app.cli;

import bitsweep.orchestrator.supervisor.TrialsFile;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bitsweep status RESULTS_DIR}: what is queued, running, done and failed. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a sweep's trials (queued/running/completed/failed/cancelled) from RESULTS_DIR/trials.jsonl, "
                + "which the supervisor keeps in step with its journal, or live from a running orchestrator's API "
                + "with --url (token from BITSWEEP_API_TOKEN).")
public final class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "RESULTS_DIR")
    Path resultsDir;

    @picocli.CommandLine.Option(names = "--url", paramLabel = "URL",
            description = "ask a running orchestrator's dashboard API instead, e.g. http://10.0.0.5:8080")
    String url;

    @Override
    public Integer call() throws Exception {
        if (url != null) {
            return bitsweep.app.cli.ApiStatus.print(url, System.getenv());
        }
        if (resultsDir == null) {
            throw new IllegalArgumentException("give RESULTS_DIR or --url URL");
        }
        Path file = resultsDir.resolve(TrialsFile.NAME);
        if (!Files.exists(file)) {
            System.err.println(file + ": not found (is " + resultsDir + " a sweep's results folder? "
                    + "It is written once the orchestrator has started the sweep)");
            return 2;
        }
        List<TrialRecord> records = TrialsFile.read(file);
        System.out.print(render(records));
        return 0;
    }

    /** The table, then the best completed trial by the sweep file's {@code metric:} (when it has one). */
    public static String render(List<TrialRecord> records, bitsweep.sweep.Sweep.Metric metric) {
        String table = render(records);
        if (metric == null) {
            return table;
        }
        return table + metric.best(records).map(b -> String.format(java.util.Locale.ROOT,
                "best by metric %s (%s): %s, top-1 %.2f %%, relative BOPs %.3f %%%n", metric.name(), metric.goal(),
                b.spec().trialId(), b.result().top1(), b.result().relativeBops()))
                .orElse("best by metric " + metric.name() + ": none (no trial completed)" + System.lineSeparator());
    }

    public static String render(List<TrialRecord> records) {
        Map<TrialStatus, Integer> counts = new EnumMap<>(TrialStatus.class);
        for (TrialStatus s : TrialStatus.values()) {
            counts.put(s, 0);
        }
        // trial ids and variants are as long as the sweep makes them: size those columns to fit
        int idWidth = Math.max(5, records.stream().mapToInt(r -> r.spec().trialId().length()).max().orElse(0));
        int variantWidth = Math.max(7, records.stream()
                .mapToInt(r -> r.spec().variant() == null ? 0 : r.spec().variant().length()).max().orElse(0));
        String row = "%-" + idWidth + "s  %-" + variantWidth + "s  %-10s %8s %8s %10s  %s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(row, "trial", "variant", "status", "attempts", "top1", "relBOPs%", "error"));
        for (TrialRecord r : records) {
            counts.merge(r.status(), 1, Integer::sum);
            sb.append(String.format(java.util.Locale.ROOT, row, r.spec().trialId(),
                    r.spec().variant() == null ? "" : r.spec().variant(), r.status(), r.attempts(),
                    r.result() == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f", r.result().top1()),
                    r.result() == null ? "-" : String.format(java.util.Locale.ROOT, "%.3f", r.result().relativeBops()),
                    r.error() == null ? "" : r.error()));
        }
        sb.append(records.size()).append(" trials:");
        counts.forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v).append(','));
        sb.setLength(sb.length() - 1);
        return sb.append(System.lineSeparator()).toString();
    }
}
