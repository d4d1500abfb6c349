package bitsweep.app.doctor;

import bitsweep.cluster.ClusterConfig.HostPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bitsweep doctor}: one screen that says what this node can do, and what it cannot yet. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check this node: Java, DJL engine and natives, GPUs, ONNX Runtime providers, data folders, "
                + "the cluster port, the dashboard/API address (--http) and TLS material. Exit 1 if something needed "
                + "is broken.")
public final class DoctorCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "data", paramLabel = "DIR",
            description = "folder holding mnist/, cifar10/, imagenet/ (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--bind", defaultValue = "127.0.0.1:25520", paramLabel = "HOST:PORT",
            description = "cluster address to check (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--http", paramLabel = "HOST:PORT",
            description = "dashboard and API address to check as `run`/`orchestrator --http` would use it "
                    + "(default: not checked)")
    String http;

    @Override
    public Integer call() {
        List<Check> checks = new ArrayList<>();
        checks.add(NodeChecks.java());
        checks.addAll(NodeChecks.djl());
        checks.add(NodeChecks.onnxRuntime());
        checks.addAll(NodeChecks.data(dataDir));
        checks.add(NodeChecks.port(HostPort.parse(bind)));
        if (http != null) {
            checks.add(NodeChecks.http(http, System.getenv()));
        }
        checks.add(NodeChecks.tls());
        var out = spec.commandLine().getOut();
        checks.forEach(c -> out.println(c.render()));
        long failed = checks.stream().filter(c -> c.status() == Check.Status.FAIL).count();
        long warned = checks.stream().filter(c -> c.status() == Check.Status.WARN).count();
        out.println(failed == 0 ? "this node can run BitSweep" + (warned > 0 ? " (" + warned + " warning(s) above)" : "")
                : failed + " problem(s) above must be fixed first");
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
