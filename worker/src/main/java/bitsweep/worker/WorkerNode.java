package bitsweep.worker;

import bitsweep.cluster.ClusterConfig.HostPort;
import bitsweep.cluster.ClusterConfig;
import bitsweep.protocol.Termination;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
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
 *
 * <p>The wait for the old actor system to terminate is bounded ({@link Options#terminationTimeout()}): after a
 * network partition it can hang in termination for good (docs/cluster.md). Past the bound a device process ends
 * itself through {@code onHung} (exit code 75; its node restarts it as a fresh incarnation), and a JVM hosting
 * several workers leaves the old actor system behind and starts a fresh one beside it, on any free port if the
 * old one still holds the configured one.
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
     * @param onHung     what to do when something in this JVM hangs that only ending the process cures: an aborted
     *                   trainer that does not stop (see {@link DeviceWorker}), or this node's actor system not
     *                   finishing termination after it was downed; a device process ends itself (exit code 75),
     *                   null (JVM shared with others) abandons the thread, or starts a fresh actor system
     * @param terminationTimeout how long after its termination began a downed actor system may take to
     *                   terminate before the node goes on without it
     */
    public record Options(List<HostPort> seeds, HostPort bind, List<String> devices, TrialRunnerFactory runners,
                          Path scratch, AssignmentLatency latency, String workerName,
                          java.util.function.Consumer<String> onHung, Duration terminationTimeout) {
        public Options {
            if (workerName != null && devices.size() != 1) {
                throw new IllegalArgumentException("a named worker needs exactly one device, got " + devices);
            }
            if (terminationTimeout == null || terminationTimeout.isNegative() || terminationTimeout.isZero()) {
                throw new IllegalArgumentException("terminationTimeout must be positive, got " + terminationTimeout);
            }
        }

        /** With {@link Termination#DEFAULT_TIMEOUT}. */
        public Options(List<HostPort> seeds, HostPort bind, List<String> devices, TrialRunnerFactory runners,
                       Path scratch, AssignmentLatency latency, String workerName,
                       java.util.function.Consumer<String> onHung) {
            this(seeds, bind, devices, runners, scratch, latency, workerName, onHung, Termination.DEFAULT_TIMEOUT);
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

    /** How long to wait before trying again to start a fresh actor system that could not start (port held). */
    private static final Duration RETRY_BOOT = Duration.ofSeconds(10);

    private final Options options;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile ActorSystem<Void> system;
    private volatile boolean closing;

    private WorkerNode(Options options) {
        this.options = options;
    }

    public static WorkerNode start(Options options) {
        WorkerNode node = new WorkerNode(options);
        node.boot(options.bind());
        return node;
    }

    private void boot(HostPort bind) {
        Behavior<Void> guardian = options.workerName() == null
                ? workers(options.devices(), options.runners(), options.scratch(), options.latency())
                : worker(options.workerName(), options.devices().get(0), options.runners(), options.scratch(),
                        options.onHung(),
                        options.latency());
        com.typesafe.config.Config config = ClusterConfig.node().bind(bind).seeds(options.seeds())
                .roles("worker").build();
        // says in the log whether this node speaks TLS (a device process inherits it from its node)
        log.info("cluster transport: {}", config.getString("pekko.remote.artery.transport"));
        ActorSystem<Void> s = ActorSystem.create(guardian, ClusterConfig.SYSTEM_NAME, config);
        system = s;
        // exactly one follow-up per actor system: re-join after it terminated, or go on without it if it hangs
        AtomicBoolean followedUp = new AtomicBoolean();
        CoordinatedShutdown.get(s).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                "bitsweep-bounded-termination", () -> {
                    boundTermination(s, followedUp);
                    return CompletableFuture.completedFuture(Done.getInstance());
                });
        s.getWhenTerminated().thenRun(() -> {
            if (endsForGood(s)) {
                stopped.complete(null);
                return;
            }
            if (!followedUp.compareAndSet(false, true)) {
                log.info("the actor system of {} that was left behind has terminated after all", s.address());
                return;
            }
            log.warn("worker node left the cluster ({}); re-joining {} in 2 s", reason(s), options.seeds());
            rejoin(Duration.ofSeconds(2), false);
        });
        if (closing) { // close() ran while this one started
            s.terminate();
        }
    }

    /** Closed, or the JVM is exiting: nothing to re-join. */
    private boolean endsForGood(ActorSystem<Void> s) {
        Optional<CoordinatedShutdown.Reason> reason = CoordinatedShutdown.get(s).getShutdownReason();
        return closing || (reason.isPresent() && reason.get() == CoordinatedShutdown.jvmExitReason());
    }

    private static String reason(ActorSystem<Void> s) {
        return CoordinatedShutdown.get(s).getShutdownReason().map(Object::toString).orElse("terminated");
    }

    /**
     * Run when coordinated shutdown is about to terminate {@code s}: if it has not terminated within the timeout,
     * go on without it. Why it can hang (Pekko 1.7.0, docs/cluster.md): Artery finishes terminating only once all
     * its remoting streams completed, with no deadline, and an outbound TLS connection ({@code IgnoreComplete})
     * completes only when its peer closes it, which a member that already removed this node may never do.
     */
    private void boundTermination(ActorSystem<Void> s, AtomicBoolean followedUp) {
        Duration timeout = options.terminationTimeout();
        Termination.within(s.getWhenTerminated(), timeout).thenAccept(terminated -> {
            if (terminated || endsForGood(s) || !followedUp.compareAndSet(false, true)) {
                return;
            }
            String what = "the actor system of worker node " + s.address() + " (" + reason(s)
                    + ") did not finish terminating within " + timeout.toSeconds() + " s";
            if (options.onHung() != null) {
                log.warn("{}; ending this device process for its node to restart it as a fresh incarnation", what);
                options.onHung().accept(what);
            } else {
                log.warn("{}; leaving it behind and re-joining {} with a fresh actor system", what, options.seeds());
                rejoin(Duration.ZERO, true);
            }
        });
    }

    /**
     * Starts a fresh actor system after {@code delay}, again every {@link #RETRY_BOOT} while it cannot start.
     * An actor system left behind in termination may still hold a fixed port (Artery unbinds only after its
     * streams completed): then the fresh one takes any free port of the same host (this JVM hosts several
     * workers, tests and benchmarks; a device process never gets here, it ends itself instead).
     */
    private void rejoin(Duration delay, boolean leftOneBehind) {
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (closing) {
                stopped.complete(null);
                return;
            }
            HostPort bind = options.bind();
            RuntimeException failed = tryBoot(bind);
            if (failed != null && leftOneBehind && bind.port() != 0) {
                log.warn("cannot start a fresh actor system on {}, the actor system left behind probably still holds "
                        + "the port: {}; taking any free port of {} instead", bind, failed.toString(), bind.host());
                bind = new HostPort(bind.host(), 0);
                failed = tryBoot(bind);
            }
            if (failed != null) {
                log.warn("cannot start a fresh actor system on {}: {}; trying again in {} s", bind, failed.toString(),
                        RETRY_BOOT.toSeconds());
                rejoin(RETRY_BOOT, leftOneBehind);
            }
        });
    }

    /** {@link #boot}, returning what made it fail instead of throwing it (null when it started). */
    private RuntimeException tryBoot(HostPort bind) {
        try {
            boot(bind);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
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
        try {
            Termination.await(s.getWhenTerminated(), options.terminationTimeout(),
                    "the actor system of worker node " + s.address(), "closing the node anyway");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped.complete(null);
    }
}
