package bitsweep.worker.process;

import bitsweep.worker.DeviceProcessMain;
import bitsweep.worker.process.DeviceProcesses.ChildSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of process-per-device: starts one child JVM per device slot, restarts a child that
 * exits (exponential backoff, {@link RestartBackoff}), and takes all of them down with the node.
 *
 * <ul>
 *   <li>Each child's stdout and stderr are appended to its own log file, with a line per (re)start and
 *       per exit written by this class; the node logs every start, exit and restart through SLF4J.</li>
 *   <li>{@link #close()} sends SIGTERM ({@code Process.destroy()}) to every child, waits up to the grace
 *       period, then SIGKILLs what is left. {@link #installShutdownHook()} does the same when the node's
 *       JVM exits (SIGTERM, Ctrl-C), so the node forwards SIGTERM to its children.</li>
 *   <li>If the node itself is killed with SIGKILL, nothing here runs: the children watch the node's pid
 *       and shut down by themselves ({@link DeviceProcessMain}).</li>
 * </ul>
 *
 * A child that crashes (native segfault, CUDA OOM abort, {@code kill -9}) costs its trial one attempt:
 * the orchestrator's death watch re-queues the trial, which resumes from its last checkpoint.
 */
public final class DeviceProcessSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeviceProcessSupervisor.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** Production grace period between SIGTERM and SIGKILL. */
    public static final Duration GRACE = Duration.ofSeconds(30);

    /** One exit of one child, as observed. */
    public record Exit(int slot, String name, long pid, int code, Duration uptime, boolean whileStopping) {
        public String description() {
            return ExitStatus.describe(code);
        }
    }

    private final class Child {
        final ChildSpec spec;
        final RestartBackoff backoff;
        Process process;
        /** Completes once this process's exit was recorded and logged. */
        CompletableFuture<Void> exitHandled = CompletableFuture.completedFuture(null);
        Instant startedAt;
        int starts;
        ScheduledFuture<?> pendingRestart;

        Child(ChildSpec spec, RestartBackoff backoff) {
            this.spec = spec;
            this.backoff = backoff;
        }
    }

    private final List<Child> children = new ArrayList<>();
    private final List<Exit> exits = new ArrayList<>();
    private final Duration grace;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "device-process-supervisor");
        t.setDaemon(true);
        return t;
    });
    private boolean stopping;
    private boolean closed;
    private Thread shutdownHook;

    private DeviceProcessSupervisor(List<ChildSpec> specs, Supplier<RestartBackoff> backoff, Duration grace) {
        for (ChildSpec s : specs) {
            children.add(new Child(s, backoff.get()));
        }
        this.grace = grace;
    }

    /** Starts every child now. */
    public static DeviceProcessSupervisor start(List<ChildSpec> specs, Supplier<RestartBackoff> backoff,
                                                Duration grace) throws IOException {
        DeviceProcessSupervisor s = new DeviceProcessSupervisor(specs, backoff, grace);
        synchronized (s) {
            for (Child c : s.children) {
                Files.createDirectories(c.spec.logFile().getParent());
                Files.createDirectories(c.spec.scratch());
                s.launch(c);
            }
        }
        return s;
    }

    /** Production settings: {@link RestartBackoff#standard()}, {@link #GRACE}. */
    public static DeviceProcessSupervisor start(List<ChildSpec> specs) throws IOException {
        return start(specs, RestartBackoff::standard, GRACE);
    }

    /** Runs {@link #close()} when this JVM exits (SIGTERM, SIGINT, System.exit); close() removes it again. */
    public synchronized DeviceProcessSupervisor installShutdownHook() {
        if (shutdownHook == null && !closed) {
            shutdownHook = new Thread(this::closeFromHook, "device-process-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        return this;
    }

    private void launch(Child c) {
        if (stopping) {
            return;
        }
        c.starts++;
        c.pendingRestart = null;
        appendToLog(c, "start #" + c.starts + " of " + c.spec.label() + ": " + String.join(" ", c.spec.command()));
        ProcessBuilder pb = new ProcessBuilder(c.spec.command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(c.spec.logFile().toFile()));
        pb.environment().putAll(c.spec.env());
        try {
            Process p = pb.start();
            c.process = p;
            c.startedAt = Instant.now();
            log.info("{} started (pid {}, {}{}), log {}", c.spec.label(), p.pid(), c.starts == 1 ? "first start"
                    : "restart #" + (c.starts - 1), c.spec.env().isEmpty() ? "" : ", " + c.spec.loggableEnv(), c.spec.logFile());
            c.exitHandled = p.onExit().thenAccept(done -> exited(c, done));
        } catch (IOException e) {
            // cannot even fork (no memory, bad java path): retry like a crash
            log.error("{}: cannot start its process: {}", c.spec.label(), e.toString());
            appendToLog(c, "cannot start: " + e);
            scheduleRestart(c, Duration.ZERO, "could not start (" + e.getMessage() + ")");
        }
    }

    private synchronized void exited(Child c, Process p) {
        if (c.process != p) {
            return;
        }
        Duration up = Duration.between(c.startedAt, Instant.now());
        int code = p.exitValue();
        Exit exit = new Exit(c.spec.slot().index(), c.spec.label(), p.pid(), code, up, stopping);
        exits.add(exit);
        c.process = null;
        appendToLog(c, "pid " + p.pid() + " exited: " + exit.description() + " after " + seconds(up));
        if (stopping) {
            log.info("{} (pid {}) stopped: {}", c.spec.label(), p.pid(), exit.description());
            return;
        }
        scheduleRestart(c, up, "pid " + p.pid() + " exited: " + exit.description() + " after " + seconds(up));
    }

    private void scheduleRestart(Child c, Duration up, String what) {
        Duration delay = c.backoff.nextDelay(up);
        log.warn("{} {}; restart #{} in {} ({} exit(s) in a row without a healthy run)", c.spec.label(), what,
                c.starts, seconds(delay), c.backoff.consecutiveFailures());
        c.pendingRestart = timer.schedule(() -> {
            synchronized (this) {
                launch(c);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private void appendToLog(Child c, String line) {
        try {
            Files.writeString(c.spec.logFile(), "---- " + LocalDateTime.now().format(TIME) + " bitsweep node: "
                    + line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.warn("cannot write {}: {}", c.spec.logFile(), e.toString());
        }
    }

    /** The pid of slot {@code slot}'s current process, if it is running. */
    public synchronized Optional<Long> pid(int slot) {
        Process p = children.get(slot).process;
        return p == null ? Optional.empty() : Optional.of(p.pid());
    }

    /** Slot {@code slot}'s current process, if it is running. */
    public synchronized Optional<ProcessHandle> process(int slot) {
        Process p = children.get(slot).process;
        return p == null ? Optional.empty() : Optional.of(p.toHandle());
    }

    /** How many times slot {@code slot}'s process was started (1 + restarts). */
    public synchronized int starts(int slot) {
        return children.get(slot).starts;
    }

    /** Every exit observed so far, in order. */
    public synchronized List<Exit> exits() {
        return List.copyOf(exits);
    }

    public List<ChildSpec> specs() {
        return children.stream().map(c -> c.spec).toList();
    }

    /**
     * Stops every child: SIGTERM, up to the grace period for all of them to exit, then SIGKILL. Returns
     * when no child is alive. Idempotent.
     */
    @Override
    public void close() {
        stopAll();
        synchronized (this) {
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook is running or ran
                }
                shutdownHook = null;
            }
        }
    }

    private void closeFromHook() {
        log.info("node shutting down: stopping {} device process(es) (SIGTERM, then SIGKILL after {})",
                children.size(), seconds(grace));
        stopAll();
    }

    private void stopAll() {
        List<Process> running = new ArrayList<>();
        List<CompletableFuture<Void>> logged = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = true;
            for (Child c : children) {
                if (c.pendingRestart != null) {
                    c.pendingRestart.cancel(false);
                }
                if (c.process != null) {
                    running.add(c.process);
                    logged.add(c.exitHandled);
                }
            }
        }
        running.forEach(Process::destroy); // SIGTERM: each child's JVM leaves the cluster and exits
        long deadline = System.nanoTime() + grace.toNanos();
        for (Process p : running) {
            try {
                long left = deadline - System.nanoTime();
                if (!p.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    log.warn("device process {} did not exit within {} of SIGTERM: SIGKILL", p.pid(), seconds(grace));
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.forEach(Process::destroyForcibly);
                break;
            }
        }
        try {
            // the exits are logged before the node goes on (and perhaps exits its JVM)
            CompletableFuture.allOf(logged.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("device process exits not all recorded: {}", e.toString());
        }
        timer.shutdownNow();
    }
}
