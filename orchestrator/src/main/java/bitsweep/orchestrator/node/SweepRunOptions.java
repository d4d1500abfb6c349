package bitsweep.orchestrator.node;

import bitsweep.orchestrator.api.ApiBinding;
import bitsweep.orchestrator.journal.JournalStore;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.SweepFileException;
import bitsweep.sweep.SweepParser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every command that runs a sweep's supervisor shares ({@code run}, {@code orchestrator}). */
public final class SweepRunOptions {

    @Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "sweep file")
    Path sweepFile;

    @Option(names = "--results", paramLabel = "DIR", description = "results folder (default: results/<sweep name>)")
    Path results;

    @Option(names = "--fresh", description = "delete an earlier run's results folder instead of resuming it")
    boolean fresh;

    @Option(names = "--journal", paramLabel = "postgresql://HOST:PORT/DB",
            description = "where the supervisor journals: 'embedded' (default: an H2 database in the results "
                    + "folder) or a PostgreSQL database; its user and password come from the environment variables "
                    + JournalStore.USER_VARIABLE + " and " + JournalStore.PASSWORD_VARIABLE)
    String journal;

    @Option(names = "--status-every", defaultValue = "10s", paramLabel = "DURATION",
            description = "interval of the console status line, e.g. 10s (default: ${DEFAULT-VALUE})")
    String statusEvery;

    @Option(names = "--http", paramLabel = "HOST:PORT",
            description = "serve the live dashboard, JSON API and /metrics here, e.g. 127.0.0.1:8080 (default: "
                    + "off); any non-loopback address needs a bearer token in " + ApiBinding.TOKEN_VARIABLE
                    + " (docs/dashboard.md)")
    String http;

    /** The parsed and validated sweep file. */
    public Sweep sweep() throws IOException, SweepFileException {
        return SweepParser.parse(sweepFile);
    }

    public Path resultsDir(Sweep sweep) {
        return results != null ? results : Path.of("results", sweep.name());
    }

    /** The journal store chosen with {@code --journal} (user and password from the environment). */
    public JournalStore journalStore(Path resultsDir) {
        return JournalStore.parse(journal, resultsDir, System.getenv());
    }

    /** The dashboard's address and token ({@code --http}), or null when off; checked before anything starts. */
    public ApiBinding api() {
        return http == null ? null : ApiBinding.parse(http, System.getenv());
    }

    public boolean fresh() {
        return fresh;
    }

    public Duration statusInterval() {
        return Durations.parse("--status-every", statusEvery);
    }
}
