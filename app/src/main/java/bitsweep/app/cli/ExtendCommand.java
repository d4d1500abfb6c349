package bitsweep.app.cli;

import bitsweep.app.cli.ControlOutput;
import bitsweep.io.Json;
import bitsweep.orchestrator.api.ApiBinding;
import bitsweep.orchestrator.api.ApiClient;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bitsweep extend --url URL --mu 0.5,1 --seeds 3}: add MU values and/or seeds to a running sweep. */
@Command(name = "extend", mixinStandardHelpOptions = true,
        description = "Add MU values and/or seeds to a running sweep through the orchestrator's API: the new trials "
                + "are expanded as if the sweep file had listed the values (every variant and point). The token "
                + "comes from " + ApiBinding.TOKEN_VARIABLE + ".")
public final class ExtendCommand implements Callable<Integer> {

    @Option(names = "--url", required = true, paramLabel = "URL", description = "the dashboard, e.g. http://10.0.0.5:8080")
    String url;

    @Option(names = "--mu", split = ",", paramLabel = "MU", description = "MU (gating-lambda) values to add")
    List<Double> mus = new ArrayList<>();

    @Option(names = "--seeds", split = ",", paramLabel = "SEED", description = "seeds to add")
    List<Long> seeds = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (mus.isEmpty() && seeds.isEmpty()) {
            throw new IllegalArgumentException("give --mu and/or --seeds");
        }
        return ControlOutput.run("extend", () -> {
            ObjectNode body = Json.MAPPER.createObjectNode();
            mus.forEach(body.putArray("mu")::add);
            seeds.forEach(body.putArray("seeds")::add);
            return new ApiClient(url, System.getenv()).post("/api/sweep/extend", body);
        });
    }
}
