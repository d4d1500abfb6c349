package bitsweep.app.cli;

import bitsweep.orchestrator.api.ApiClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/** {@code bitsweep status --url URL}: the live summary and trial table from a running orchestrator's API. */
public final class ApiStatus {
    private ApiStatus() {
    }

    /** Prints the status; an API that cannot be read is thrown as bad input (exit 2, {@link CliErrors}). */
    public static int print(String url, Map<String, String> env) throws InterruptedException {
        ApiClient api = new ApiClient(url, env);
        try {
            System.out.print(render(api.get("/api/sweep"), api.get("/api/trials")));
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return 0;
    }

    static String render(JsonNode summary, JsonNode trials) {
        int idWidth = 5;
        for (JsonNode t : trials) {
            idWidth = Math.max(idWidth, t.path("trialId").asText().length());
        }
        String row = "%-" + idWidth + "s  %-10s %7s %7s %8s %8s %10s  %s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, row, "trial", "status", "attempt", "epoch", "img/s", "top1", "relBOPs%",
                "worker / error"));
        for (JsonNode t : trials) {
            String where = t.hasNonNull("worker") ? t.get("worker").asText()
                    + (t.hasNonNull("device") ? " " + t.get("device").asText() : "") : t.path("error").asText("");
            sb.append(String.format(Locale.ROOT, row, t.path("trialId").asText(), t.path("status").asText(),
                    t.path("attempts").asInt(), t.path("epoch").asInt() + "/" + t.path("totalEpochs").asInt(),
                    t.path("imagesPerSecond").asDouble() > 0 ? String.format(Locale.ROOT, "%.0f",
                            t.path("imagesPerSecond").asDouble()) : "-",
                    t.hasNonNull("top1") ? String.format(Locale.ROOT, "%.2f", t.get("top1").asDouble()) : "-",
                    t.hasNonNull("relativeBops") ? String.format(Locale.ROOT, "%.3f", t.get("relativeBops").asDouble())
                            : "-", where));
        }
        JsonNode c = summary.path("counts");
        double eta = summary.path("etaSeconds").asDouble(-1);
        sb.append(String.format(Locale.ROOT, "sweep %s: %s; %d trials: queued %d, running %d, completed %d, failed %d, "
                        + "cancelled %d; %d worker(s); ETA %s%n", summary.path("sweep").asText(),
                summary.path("state").asText(), summary.path("total").asInt(), c.path("queued").asInt(),
                c.path("running").asInt(), c.path("completed").asInt(), c.path("failed").asInt(),
                c.path("cancelled").asInt(), summary.path("workers").asInt(),
                eta < 0 ? "unknown" : Math.round(eta) + " s"));
        return sb.toString();
    }
}
