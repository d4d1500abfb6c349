package bitsweep.orchestrator.console;

import bitsweep.orchestrator.supervisor.ProgressView;
import bitsweep.orchestrator.supervisor.Supervisor;
import bitsweep.orchestrator.supervisor.SweepProgress;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.LoggerFactory;

/**
 * The live progress view of {@code bitsweep run} on a terminal: the {@link SweepProgress} the supervisor
 * publishes every second, drawn as a block ({@link ProgressView}) at the bottom of the terminal, with log
 * lines scrolling above it. The periodic status line is left out of the console then (it still goes to
 * the log file). When stdout is not a terminal (a pipe, a file, a batch job) nothing changes: plain log
 * lines. {@code -Dbitsweep.console=plain} or {@code TERM=dumb} turn the view off.
 */
public final class LiveConsole implements AutoCloseable {
    private static final AutoCloseable NONE = () -> { };
    private final TerminalBlock block;
    private final PrintStream originalErr;
    private final ActorRef<SweepProgress> subscriber;
    private final ActorSystem<?> system;
    private final Filter<ILoggingEvent> statusFilter;

    private LiveConsole(ActorSystem<?> system, int width) {
        this.system = system;
        this.block = new TerminalBlock(new PrintStream(System.out, false, StandardCharsets.UTF_8));
        this.originalErr = System.err;
        // logback's console appender writes to whatever System.err is at the time of each write
        System.setErr(new PrintStream(new LineRouter(block), true, StandardCharsets.UTF_8));
        this.statusFilter = new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                return event.getMarkerList() != null && event.getMarkerList().contains(Supervisor.STATUS_LINE)
                        ? FilterReply.DENY : FilterReply.NEUTRAL;
            }
        };
        consoleAppenders().forEachRemaining(a -> a.addFilter(statusFilter));
        Behavior<SweepProgress> view = Behaviors.setup(ctx -> {
            ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(SweepProgress.class, ctx.getSelf()));
            return Behaviors.receiveMessage(p -> {
                block.show(ProgressView.render(p, width));
                return Behaviors.same();
            });
        });
        // terminal writes can block (a paused terminal): not on the default dispatcher
        this.subscriber = system.systemActorOf(view, "live-console", DispatcherSelector.blocking());
    }

    /** The live view when stdout is a terminal, else nothing; close it before printing the final table. */
    public static AutoCloseable attachIfTerminal(ActorSystem<?> system) {
        if (System.console() == null || "dumb".equals(System.getenv("TERM"))
                || "plain".equals(System.getProperty("bitsweep.console"))) {
            return NONE;
        }
        return new LiveConsole(system, Integer.getInteger("bitsweep.console.width", terminalWidth()));
    }

    @Override
    public void close() {
        // the subscriber stays (idle) until the actor system ends; snapshots still queued are dropped by the block
        system.eventStream().tell(new EventStream.Unsubscribe<>(subscriber));
        block.close();
        System.err.flush();
        System.setErr(originalErr);
        consoleAppenders().forEachRemaining(a -> {
            java.util.List<Filter<ILoggingEvent>> others = new java.util.ArrayList<>(a.getCopyOfAttachedFiltersList());
            others.remove(statusFilter);
            a.clearAllFilters();
            others.forEach(a::addFilter);
        });
    }

    private static Iterator<Appender<ILoggingEvent>> consoleAppenders() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return java.util.Collections.emptyIterator();
        }
        java.util.List<Appender<ILoggingEvent>> console = new java.util.ArrayList<>();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(a -> {
            if (a instanceof ch.qos.logback.core.ConsoleAppender<?>) {
                console.add(a);
            }
        });
        return console.iterator();
    }

    /** Columns of the controlling terminal ({@code stty size}); 100 when it cannot be asked. */
    static int terminalWidth() {
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return parseColumns(out, 100);
            }
        } catch (IOException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }

    /** {@code "rows cols"} as {@code stty size} prints it; {@code fallback} for anything else. */
    static int parseColumns(String sttySize, int fallback) {
        String[] parts = sttySize.trim().split("\\s+");
        try {
            int cols = parts.length == 2 ? Integer.parseInt(parts[1]) : 0;
            return cols > 0 ? cols : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
