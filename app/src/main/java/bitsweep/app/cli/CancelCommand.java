package bitsweep.app.cli;

import bitsweep.app.cli.ControlOutput;
import bitsweep.orchestrator.api.ApiBinding;
import bitsweep.orchestrator.api.ApiClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bitsweep cancel --url URL [--trial ID]}: cancel one trial, or the whole sweep, through the API. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a running sweep's trial (--trial) or every unfinished trial, through the orchestrator's "
                + "API (started with --http). The token comes from " + ApiBinding.TOKEN_VARIABLE + ".")
public final class CancelCommand implements Callable<Integer> {

    @Option(names = "--url", required = true, paramLabel = "URL", description = "the dashboard, e.g. http://10.0.0.5:8080")
    String url;

    @Option(names = "--trial", paramLabel = "ID", description = "the trial to cancel (default: the whole sweep)")
    String trial;

    @Override
    public Integer call() throws Exception {
        return ControlOutput.run("cancel", () -> {
            ApiClient api = new ApiClient(url, System.getenv());
            return trial == null ? api.post("/api/sweep/cancel", null)
                    : api.post("/api/trials/" + java.net.URLEncoder.encode(trial, java.nio.charset.StandardCharsets.UTF_8)
                            + "/cancel", null);
        });
    }
}
