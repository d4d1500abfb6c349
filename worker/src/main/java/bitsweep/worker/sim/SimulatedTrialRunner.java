package bitsweep.worker.sim;

import bitsweep.artifact.LayerBits;
import bitsweep.io.AtomicFiles;
import bitsweep.io.Json;
import bitsweep.train.CheckpointUnreadableException;
import bitsweep.train.TrialRequest;
import bitsweep.train.TrialRunner;
import bitsweep.trial.CancellationToken;
import bitsweep.trial.EpochMetrics;
import bitsweep.trial.TrialCancelledException;
import bitsweep.trial.TrialConfig;
import bitsweep.trial.TrialFailedException;
import bitsweep.trial.TrialListener;
import bitsweep.trial.TrialResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A trial runner that trains nothing but behaves like the real one toward the cluster, for actor
 * tests and scheduler benchmarks: each trial takes a duration drawn (reproducibly, from the trial id
 * and seed) from {@code [minMillis, maxMillis]}, split evenly over its epochs; it reports every
 * epoch, writes a real checkpoint file every {@code checkpoint-every} epochs and resumes from one
 * (continuing after the epoch it records), and finishes with {@code result.json} plus a small
 * artifact file {@code artifact.json} that records which epoch this attempt started at.
 *
 * <p>It can be told to fail ({@code failTrials}: every attempt throws {@link TrialFailedException}
 * after its first epoch), to hang ({@code hangTrials}: its first attempt reports no progress and
 * blocks until cancelled) or to get stuck ({@code stuckTrials}: its first attempt blocks forever and
 * ignores cancellation, like a trainer stuck in a native call), for failure tests and drills; later
 * attempts run normally, as a retry on a healthy device would. While it "trains" it reports a batch every
 * 10 ms ({@link TrialListener#onBatch}). {@code layersPerEpoch} fills each epoch's bit table with
 * that many rows, to give results the size of a real network's. Epochs come from the trial's
 * {@code epochs} setting (1 when unset).
 */
public final class SimulatedTrialRunner implements TrialRunner {
    public static final String ARTIFACT = "artifact.json";
    /**
     * How long one simulated batch sleeps (default 10 ms); the scheduler benchmark's scale mode raises it so
     * a thousand simulated workers in a few JVMs do not spend the machine's cores on wake-ups.
     */
    public static final String BATCH_MS_PROPERTY = "bitsweep.simulate.batch-ms";
    private static final long BATCH_MS = Math.max(1, Long.getLong(BATCH_MS_PROPERTY, 10));

    private final Settings settings;

    /**
     * @param minMillis  shortest trial
     * @param maxMillis  longest trial
     * @param seed       varies the drawn durations
     * @param failTrials trial ids whose every attempt fails
     * @param hangTrials trial ids that never finish unless cancelled
     */
    public record Settings(long minMillis, long maxMillis, long seed, Set<String> failTrials, Set<String> hangTrials,
                           Set<String> stuckTrials, int layersPerEpoch) {
        public Settings {
            if (minMillis < 0 || maxMillis < minMillis) {
                throw new IllegalArgumentException("simulated durations: need 0 <= min <= max, got " + minMillis
                        + ".." + maxMillis);
            }
            failTrials = Set.copyOf(failTrials);
            hangTrials = Set.copyOf(hangTrials);
            stuckTrials = Set.copyOf(stuckTrials);
        }

        public static Settings durations(long minMillis, long maxMillis) {
            return new Settings(minMillis, maxMillis, 0, Set.of(), Set.of(), Set.of(), 0);
        }

        public Settings failing(Set<String> trialIds) {
            return new Settings(minMillis, maxMillis, seed, trialIds, hangTrials, stuckTrials, layersPerEpoch);
        }

        public Settings hanging(Set<String> trialIds) {
            return new Settings(minMillis, maxMillis, seed, failTrials, trialIds, stuckTrials, layersPerEpoch);
        }

        public Settings stuck(Set<String> trialIds) {
            return new Settings(minMillis, maxMillis, seed, failTrials, hangTrials, trialIds, layersPerEpoch);
        }

        public Settings withLayersPerEpoch(int layers) {
            return new Settings(minMillis, maxMillis, seed, failTrials, hangTrials, stuckTrials, layers);
        }
    }

    /** What a checkpoint file holds. */
    public record Checkpoint(String trialId, int epoch, List<EpochMetrics> history) {
    }

    /** What {@code artifact.json} holds. */
    public record Artifact(String trialId, int startedAtEpoch, int epochs, String device, long durationMillis) {
    }

    public SimulatedTrialRunner(Settings settings) {
        this.settings = settings;
    }

    /** The total duration this runner gives a trial (all epochs, one uninterrupted attempt). */
    public long durationMillis(String trialId) {
        long span = settings.maxMillis() - settings.minMillis();
        SplittableRandom r = new SplittableRandom(trialId.hashCode() * 31L + settings.seed());
        return settings.minMillis() + (span == 0 ? 0 : r.nextLong(span + 1));
    }

    @Override
    public TrialResult run(TrialRequest request, TrialListener listener, CancellationToken cancel)
            throws TrialFailedException, TrialCancelledException {
        long start = System.nanoTime();
        TrialConfig c = request.config();
        int epochs = c.epochs() == null ? 1 : c.epochs();
        int checkpointEvery = c.checkpointEvery() == null ? 1 : c.checkpointEvery();
        long perEpoch = durationMillis(request.trialId()) / epochs;
        List<EpochMetrics> history = new ArrayList<>();
        int first = 1;
        if (request.resumeFrom() != null) {
            Checkpoint ckpt = readCheckpoint(request.resumeFrom(), request.trialId());
            history.addAll(ckpt.history());
            first = ckpt.epoch() + 1;
        }
        double bops = relativeBops(c);
        for (int epoch = first; epoch <= epochs; epoch++) {
            long epochStart = System.nanoTime();
            boolean firstAttempt = request.attempt() == 1;
            if (firstAttempt && settings.stuckTrials().contains(request.trialId())) {
                stuck();
            }
            if (firstAttempt && settings.hangTrials().contains(request.trialId())) {
                sleep(Long.MAX_VALUE, cancel, request.trialId(), () -> {
                });
            }
            sleep(perEpoch, cancel, request.trialId(), listener::onBatch);
            if (settings.failTrials().contains(request.trialId())) {
                throw new TrialFailedException("simulated failure: loss became NaN at epoch " + epoch);
            }
            double loss = 2.3 / (1 + epoch);
            EpochMetrics m = new EpochMetrics(epoch, "bayesian-bits", loss, loss * 0.9, loss * 0.1,
                    99.0 - 10.0 / (epoch + 1), bops, bops * 0.0023, bitTable(settings.layersPerEpoch()), 1000.0,
                    (System.nanoTime() - epochStart) / 1e9);
            history.add(m);
            listener.onEpoch(m);
            if (epoch % checkpointEvery == 0 && epoch < epochs) {
                Path file = request.workDir().resolve("checkpoint.json");
                write(file, new Checkpoint(request.trialId(), epoch, history));
                listener.onCheckpoint(epoch, file);
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        write(request.workDir().resolve(ARTIFACT), new Artifact(request.trialId(), first, epochs, request.device(),
                millis));
        EpochMetrics last = history.isEmpty() ? null : history.get(history.size() - 1);
        Map<String, double[]> gates = new LinkedHashMap<>();
        TrialResult result = new TrialResult(request.trialId(), c, history, last == null ? 0 : last.top1(), bops,
                bops * 0.0023, List.of(), gates, ARTIFACT, millis / 1000.0);
        write(request.workDir().resolve(TrialResult.FILE_NAME), result);
        return result;
    }

    private static List<LayerBits> bitTable(int layers) {
        List<LayerBits> rows = new ArrayList<>(layers);
        for (int i = 0; i < layers; i++) {
            rows.add(new LayerBits("layer" + i + ".features.conv", 1_000_000L + i, 8, 4, 4, 60 + i % 4, 64, 0.9375,
                    3.2e7 + i));
        }
        return rows;
    }

    /** Never returns, whatever happens to the cancellation token: a trainer stuck in a native call. */
    private static void stuck() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // a stuck native call does not notice interrupts either
            }
        }
    }

    /** A stand-in for the trade-off the real trainer finds: more regularization, fewer BOPs. */
    private static double relativeBops(TrialConfig c) {
        double mu = c.gatingLambda() == null ? 0.01 : c.gatingLambda();
        return 100.0 / (1.0 + 100.0 * mu);
    }

    private static Checkpoint readCheckpoint(Path file, String trialId) throws TrialFailedException {
        try {
            Checkpoint ckpt = Json.MAPPER.readValue(file.toFile(), Checkpoint.class);
            if (!trialId.equals(ckpt.trialId())) {
                throw new CheckpointUnreadableException("checkpoint " + file + " belongs to trial "
                        + ckpt.trialId() + ", not " + trialId, null);
            }
            return ckpt;
        } catch (IOException e) {
            throw new CheckpointUnreadableException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, Object value) throws TrialFailedException {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.writeBytes(file, Json.MAPPER.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new TrialFailedException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Sleeps in short slices ("batches") so a cancellation is seen within ~{@link #BATCH_MS_PROPERTY} (10 ms). */
    private static void sleep(long millis, CancellationToken cancel, String trialId, Runnable onBatch)
            throws TrialCancelledException {
        long end = millis == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + millis * 1_000_000;
        while (true) {
            if (cancel.isCancelled()) {
                throw new TrialCancelledException(trialId);
            }
            long left = end == Long.MAX_VALUE ? BATCH_MS * 1_000_000 : end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                Thread.sleep(Math.min(BATCH_MS, Math.max(1, left / 1_000_000)), 0);
                onBatch.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrialCancelledException(trialId);
            }
        }
    }
}
