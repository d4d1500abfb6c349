package bitsweep.app.cluster;

import bitsweep.app.cli.OrchestratorCommand;
import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.NodeSecurity;
import bitsweep.cluster.TlsMaterial;
import bitsweep.orchestrator.journal.JournalStore;
import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.protocol.Termination;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.TrialSpec;
import bitsweep.sweep.TrialStatus;
import bitsweep.trial.TrialConfig;
import bitsweep.worker.AssignmentLatency;
import bitsweep.worker.WorkerNode;
import bitsweep.worker.sim.SimulatedTrialRunner;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Main class of the child JVMs in the multi-JVM tests: the same node code as {@code bitsweep
 * orchestrator} / {@code bitsweep worker}, with the sweep built in code (no sweep-file parser).
 *
 * <pre>
 * orchestrator PORT RESULTS_DIR TRIALS EPOCHS MIN_WORKERS [JOURNAL [SWEEP_NAME [standby]]]
 * worker SEED_PORT[,SEED_PORT…] SCRATCH_DIR TRIAL_MILLIS WORKERS
 * </pre>
 *
 * <p>On 127.0.0.1 unless {@code -Dbitsweep.test.host=ADDR} (this node's address; a worker binds port
 * {@code -Dbitsweep.test.port}, default any) and {@code -Dbitsweep.test.seed-host=ADDR} (a worker's seed). An
 * orchestrator on a network address takes its TLS material from {@code -Dbitsweep.test.tls-dir=DIR} as
 * {@code --tls-dir} would; a worker gets it as a device process does ({@code -Dbitsweep.tls.*}, passwords in
 * the environment). A worker waits {@code -Dbitsweep.test.termination-timeout=SECONDS} (default
 * {@link Termination#DEFAULT_TIMEOUT}) for a downed actor system to terminate before it goes on without it.
 */
public final class ClusterTestNode {
    private ClusterTestNode() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "orchestrator" -> {
                int port = Integer.parseInt(args[1]);
                String name = args.length > 7 ? args[7] : "multi-jvm";
                Sweep sweep = sweep(name, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
                HostPort self = new HostPort(host(), port);
                Path results = Path.of(args[2]);
                JournalStore store = JournalStore.parse(args.length > 6 ? args[6] : null, results, System.getenv());
                boolean standby = args.length > 8 && args[8].equals("standby");
                String tlsDir = System.getProperty("bitsweep.test.tls-dir");
                NodeSecurity security = tlsDir == null ? NodeSecurity.loopbackPlain()
                        : NodeSecurity.tls(TlsMaterial.fromDir(Path.of(tlsDir), System.getenv()));
                SweepCompletion done = OrchestratorCommand.run(sweep, results, false, store, self, List.of(self),
                        Integer.parseInt(args[5]), Duration.ofSeconds(2), security, standby);
                System.exit(done.count(TrialStatus.COMPLETED) == sweep.trials().size() ? 0 : 3);
            }
            case "worker" -> {
                String seedHost = System.getProperty("bitsweep.test.seed-host", "127.0.0.1");
                List<HostPort> seeds = java.util.Arrays.stream(args[1].split(","))
                        .map(p -> new HostPort(seedHost, Integer.parseInt(p))).toList();
                long millis = Long.parseLong(args[3]);
                SimulatedTrialRunner.Settings sim = SimulatedTrialRunner.Settings.durations(millis, millis);
                WorkerNode node = WorkerNode.start(new WorkerNode.Options(seeds,
                        new HostPort(host(), Integer.getInteger("bitsweep.test.port", 0)), Collections.nCopies(Integer.parseInt(args[4]), "cpu()"),
                        device -> new SimulatedTrialRunner(sim), Path.of(args[2]), AssignmentLatency.none(), null,
                        null, Duration.ofSeconds(Long.getLong("bitsweep.test.termination-timeout",
                                Termination.DEFAULT_TIMEOUT.toSeconds()))));
                node.stopped().get();
            }
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    private static String host() {
        return System.getProperty("bitsweep.test.host", "127.0.0.1");
    }

    static Sweep sweep(String name, int trials, int epochs) throws Exception {
        TrialConfig config = new ObjectMapper().readValue("{\"experiment\":\"mnist\",\"epochs\":" + epochs
                + ",\"checkpoint-every\":1}", TrialConfig.class);
        List<TrialSpec> specs = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            specs.add(new TrialSpec("trial-" + i, name, i % 2 == 0 ? "pruning" : "no-pruning",
                    Map.of("index", i), config));
        }
        return new Sweep(name, Path.of(name + ".yaml"), "mnist", specs, 3, 0);
    }
}
