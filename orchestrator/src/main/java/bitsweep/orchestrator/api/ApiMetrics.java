package bitsweep.orchestrator.api;

import bitsweep.protocol.LiveView;
import bitsweep.sweep.TrialStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Prometheus {@code /metrics} of a sweep (Micrometer): trials by state, attempts, queue length,
 * per-worker throughput and whether the supervisor answers. Updated from a fresh {@link LiveView} on
 * every scrape, so the numbers are never older than the scrape.
 */
final class ApiMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge trials;
    private final MultiGauge workerImages;
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong queue = new AtomicLong();
    private final AtomicLong workers = new AtomicLong();
    private final AtomicLong paused = new AtomicLong();
    private final AtomicLong supervisorUp = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong eta = new AtomicLong(-1);
    private final long startedNanos = System.nanoTime();

    ApiMetrics(String sweep) {
        registry.config().commonTags("sweep", sweep);
        trials = MultiGauge.builder("bitsweep.trials").description("trials by state").register(registry);
        workerImages = MultiGauge.builder("bitsweep.worker.images.per.second")
                .description("training throughput of each worker's latest epoch (0 when idle)").register(registry);
        gauge("bitsweep.trial.attempts", attempts, "attempts started, over all trials");
        gauge("bitsweep.trial.failed.attempts", failures, "attempts that failed, over all trials");
        gauge("bitsweep.queue.length", queue, "trials waiting for a worker");
        gauge("bitsweep.workers", workers, "workers the supervisor knows");
        gauge("bitsweep.sweep.paused", paused, "1 while handing out trials is paused");
        gauge("bitsweep.supervisor.up", supervisorUp,
                "1 when the sweep supervisor answered the latest scrape in time");
        gauge("bitsweep.supervisor.ignored.messages", ignored,
                "messages from attempts that were no longer current (fencing)");
        gauge("bitsweep.sweep.eta.seconds", eta, "estimated seconds until every trial ended, -1 when unknown");
        Gauge.builder("bitsweep.orchestrator.uptime.seconds", this, m -> (System.nanoTime() - m.startedNanos) / 1e9)
                .description("seconds since this orchestrator's API started").register(registry);
    }

    /** The scrape after the supervisor answered with {@code v}. */
    String scrape(LiveView v) {
        supervisorUp.set(1);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (TrialStatus s : TrialStatus.values()) {
            rows.add(MultiGauge.Row.of(Tags.of("state", s.text()), v.count(s)));
        }
        trials.register(rows, true);
        List<MultiGauge.Row<?>> perWorker = new ArrayList<>();
        for (LiveView.Worker w : v.workers()) {
            perWorker.add(MultiGauge.Row.of(Tags.of("worker", w.name(), "device", w.device() == null ? "?" : w.device()),
                    w.trialId() == null ? 0 : w.imagesPerSecond()));
        }
        workerImages.register(perWorker, true);
        attempts.set(v.trials().stream().mapToLong(LiveView.Trial::attempts).sum());
        failures.set(v.trials().stream().mapToLong(LiveView.Trial::failures).sum());
        queue.set(v.count(TrialStatus.QUEUED));
        workers.set(v.workers().size());
        paused.set(v.paused() ? 1 : 0);
        ignored.set(v.ignored());
        eta.set(Math.round(v.etaSeconds()));
        return registry.scrape();
    }

    /** The scrape when the supervisor did not answer: {@code bitsweep_supervisor_up 0}, the rest as last seen. */
    String scrapeUnreachable() {
        supervisorUp.set(0);
        return registry.scrape();
    }

    private void gauge(String name, AtomicLong value, String description) {
        Gauge.builder(name, value, AtomicLong::get).description(description).register(registry);
    }
}
