package bitsweep.worker;

import bitsweep.protocol.ClusterConfig;
import bitsweep.protocol.ClusterConfig.HostPort;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker node: an actor system with role {@code worker} and one {@link DeviceWorker} per device.
 *
 * <p>With the real (DJL) trainer a node runs exactly one device here: {@code bitsweep worker} and
 * {@code bitsweep run} start one device process per device ({@code bitsweep.worker.process}), each a
 * {@code WorkerNode} with a single named worker, because DJL's PyTorch engine allows one gradient
 * collector per process. Several workers in one node remain for the simulated trainer (tests, the
 * scheduler benchmark).
 *
 * <p>If the cluster downs this node (the Split Brain Resolver keeps the side with the orchestrator;
 * after an orchestrator crash that is nobody's side), the node starts a fresh actor system and joins
 * the seed nodes again, so a restarted orchestrator finds its workers without anyone restarting them.
 */
public final class WorkerNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerNode.class);

    /**
     * @param seeds   seed nodes to join (usually the orchestrator's --bind address)
     * @param bind    this node's address (port 0: any free port)
     * @param devices one worker per entry: {@code cpu()}, {@code gpu(0)}, …
     * @param scratch this node's own working directory for trials ({@code <scratch>/worker-<i>/} per worker)
     * @param workerName null, or the name of this node's only worker (a device process: exactly one device);
     *                   it then trains directly in {@code scratch}
     * @param onHung     what a worker does when its aborted trainer does not stop (see {@link DeviceWorker});
     *                   a device process ends itself, null abandons the thread (JVM shared with others)
     */
    public record Options(List<HostPort> seeds, HostPort bind, List<String> devices, TrialRunnerFactory runners,
                          Path scratch, AssignmentLatency latency, String workerName,
                          java.util.function.Consumer<String> onHung) {
        public Options {
            if (workerName != null && devices.size() != 1) {
                throw new IllegalArgumentException("a named worker needs exactly one device, got " + devices);
            }
        }

        /** Several workers in this JVM, named after the node's address and their device. */
        public Options(List<HostPort> seeds, HostPort bind, List<String> devices, TrialRunnerFactory runners,
                       Path scratch, AssignmentLatency latency) {
            this(seeds, bind, devices, runners, scratch, latency, null, null);
        }

        /** One named worker whose hung trainer's thread is abandoned. */
        public Options(List<HostPort> seeds, HostPort bind, List<String> devices, TrialRunnerFactory runners,
                       Path scratch, AssignmentLatency latency, String workerName) {
            this(seeds, bind, devices, runners, scratch, latency, workerName, null);
        }
    }

    private final Options options;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile ActorSystem<Void> system;
    private volatile boolean closing;

    private WorkerNode(Options options) {
        this.options = options;
    }

    public static WorkerNode start(Options options) {
        WorkerNode node = new WorkerNode(options);
        node.boot();
        return node;
    }

    private void boot() {
        Behavior<Void> guardian = options.workerName() == null
                ? workers(options.devices(), options.runners(), options.scratch(), options.latency())
                : worker(options.workerName(), options.devices().get(0), options.runners(), options.scratch(),
                        options.onHung(),
                        options.latency());
        com.typesafe.config.Config config = ClusterConfig.node().bind(options.bind()).seeds(options.seeds())
                .roles("worker").build();
        // says in the log whether this node speaks TLS (a device process inherits it from its node)
        log.info("cluster transport: {}", config.getString("pekko.remote.artery.transport"));
        ActorSystem<Void> s = ActorSystem.create(guardian, ClusterConfig.SYSTEM_NAME, config);
        system = s;
        s.getWhenTerminated().thenRun(() -> {
            Optional<CoordinatedShutdown.Reason> reason = CoordinatedShutdown.get(s).getShutdownReason();
            boolean jvmExit = reason.isPresent() && reason.get() == CoordinatedShutdown.jvmExitReason();
            if (closing || jvmExit) {
                stopped.complete(null);
                return;
            }
            log.warn("worker node left the cluster ({}); re-joining {} in 2 s", reason.map(Object::toString)
                    .orElse("terminated"), options.seeds());
            CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS).execute(() -> {
                if (!closing) {
                    boot();
                } else {
                    stopped.complete(null);
                }
            });
        });
    }

    /** The guardian: spawns one worker per device, named after this node's address and the device. */
    public static Behavior<Void> workers(List<String> devices, TrialRunnerFactory runners, Path scratch,
                                         AssignmentLatency latency) {
        return Behaviors.setup(ctx -> {
            String node = Cluster.get(ctx.getSystem()).selfMember().address().hostPort();
            for (int i = 0; i < devices.size(); i++) {
                String device = devices.get(i);
                String name = node.replaceFirst("^bitsweep@", "") + "/" + device;
                // A bug in the worker restarts it (it re-registers and asks again); the supervisor has
                // already re-queued its trial through death watch... or sees its stale messages and cancels.
                ctx.spawn(Behaviors.supervise(DeviceWorker.create(name, device, runners.create(device),
                        scratch.resolve("worker-" + i), latency)).onFailure(SupervisorStrategy.restart()),
                        "worker-" + i);
            }
            log.info("{} worker(s) started: {}", devices.size(), devices);
            return Behaviors.empty();
        });
    }

    /**
     * The guardian of a device process: exactly one worker, named {@code <host:port>/<name>}, training in
     * {@code scratch}.
     */
    public static Behavior<Void> worker(String name, String device, TrialRunnerFactory runners, Path scratch,
                                        java.util.function.Consumer<String> onHung,
                                        AssignmentLatency latency) {
        return Behaviors.setup(ctx -> {
            String node = Cluster.get(ctx.getSystem()).selfMember().address().hostPort();
            String full = node.replaceFirst("^bitsweep@", "") + "/" + name;
            ctx.spawn(Behaviors.supervise(DeviceWorker.create(full, device, runners.create(device), scratch, latency,
                            onHung))
                    .onFailure(SupervisorStrategy.restart()), "worker-0");
            log.info("worker {} started on {}", full, device);
            return Behaviors.empty();
        });
    }

    public ActorSystem<Void> system() {
        return system;
    }

    /** Completes when the node stopped for good (closed, or the JVM is exiting). */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    @Override
    public void close() {
        closing = true;
        ActorSystem<Void> s = system;
        s.terminate();
        s.getWhenTerminated().toCompletableFuture().join();
    }
}
