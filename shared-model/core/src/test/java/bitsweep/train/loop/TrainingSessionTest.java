package bitsweep.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import bitsweep.nn.BitsModel;
import bitsweep.nn.BitsModels;
import bitsweep.train.SyntheticDigits;
import bitsweep.train.bench.PlainLeNet5;
import bitsweep.train.checkpoint.Checkpoint;
import bitsweep.train.checkpoint.CheckpointIO;
import bitsweep.trial.CancellationToken;
import bitsweep.trial.EpochMetrics;
import bitsweep.trial.TrialCancelledException;
import bitsweep.trial.TrialConfig;
import bitsweep.trial.TrialFailedException;
import bitsweep.trial.TrialListener;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop on the full-precision LeNet-5 and a small synthetic data set (seconds per test). */
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class TrainingSessionTest {

    static TrialConfig config(Map<String, Object> overrides) {
        Map<String, Object> m = new HashMap<>(Map.of("experiment", "mnist", "epochs", 3, "batch-size", 32,
                "limit-train", 320, "limit-test", 200, "seed", 7L, "lr-schedule", "linear"));
        m.putAll(overrides);
        return new ObjectMapper().convertValue(m, TrialConfig.class).resolved();
    }

    private static Map<String, float[]> weights(BitsModel model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    interface Factory {
        BitsModel create(TrialConfig cfg, NDManager m) throws Exception;
    }

    @Test
    void resumedPlainRunMatchesUninterruptedRun(@TempDir Path dir) throws Exception {
        resumedRunMatchesUninterruptedRun(dir, (c, m) -> new PlainLeNet5(m), Map.of(), 2);
    }

    /** Three optimiser groups, quantizer flags and gate noise: all must continue exactly. */
    @Test
    void resumedBayesianBitsRunMatchesUninterruptedRun(@TempDir Path dir) throws Exception {
        resumedRunMatchesUninterruptedRun(dir, BitsModels::create, Map.of(), 2);
    }

    /** Interrupted inside fixed-gate fine-tuning: the resume re-freezes and continues SGD/Adam + cosine. */
    @Test
    void resumedFineTuningMatchesUninterruptedRun(@TempDir Path dir) throws Exception {
        resumedRunMatchesUninterruptedRun(dir, BitsModels::create,
                Map.of("epochs", 1, "fixed-gate-finetune-epochs", 2), 2);
    }

    private void resumedRunMatchesUninterruptedRun(Path dir, Factory factory, Map<String, Object> overrides,
                                                   int stopAfter) throws Exception {
        TrialConfig cfg = config(overrides);
        SyntheticDigits train = new SyntheticDigits(1000, 1);
        SyntheticDigits test = new SyntheticDigits(200, 2);

        List<EpochMetrics> full;
        Map<String, float[]> fullWeights;
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seedEngine(cfg.seed(), 0);
            BitsModel model = factory.create(cfg, m);
            full = new TrainingSession("t", cfg, model, train, test, m, TrialListener.NONE,
                    CancellationToken.none(), dir.resolve("full")).run(null).history();
            fullWeights = weights(model);
        }

        // Interrupt after epoch 2 (cancel is observed before the first batch of epoch 3).
        CancellationToken cancel = new CancellationToken();
        TrialListener stopAfter2 = new TrialListener() {
            @Override
            public void onCheckpoint(int epoch, Path file) {
                if (epoch == stopAfter) {
                    cancel.cancel();
                }
            }
        };
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seedEngine(cfg.seed(), 0);
            BitsModel model = factory.create(cfg, m);
            TrainingSession s = new TrainingSession("t", cfg, model, train, test, m, stopAfter2, cancel,
                    dir.resolve("part"));
            assertThrows(TrialCancelledException.class, () -> s.run(null));
        }
        Checkpoint ckpt = CheckpointIO.read(dir.resolve("part").resolve(TrainingSession.CHECKPOINT_FILE));
        assertEquals(stopAfter, ckpt.epochsDone());

        List<EpochMetrics> resumed;
        Map<String, float[]> resumedWeights;
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seedEngine(999, 0); // a different fresh init: everything must come from the checkpoint
            BitsModel model = factory.create(cfg, m);
            resumed = new TrainingSession("t", cfg, model, train, test, m, TrialListener.NONE,
                    CancellationToken.none(), dir.resolve("part")).run(ckpt).history();
            resumedWeights = weights(model);
        }
        assertEquals(full.size(), resumed.size());
        for (int i = 0; i < full.size(); i++) {
            assertEquals(full.get(i).phase(), resumed.get(i).phase());
            assertEquals(full.get(i).trainLoss(), resumed.get(i).trainLoss(), 1e-4, "loss of epoch " + (i + 1));
            assertEquals(full.get(i).top1(), resumed.get(i).top1(), 0.51, "top-1 of epoch " + (i + 1));
        }
        for (String name : fullWeights.keySet()) {
            assertArrayEquals(fullWeights.get(name), resumedWeights.get(name), 1e-4f, name);
        }
    }

    @Test
    void learnsTheSyntheticTaskAndLogsEveryEpoch() throws Exception {
        TrialConfig cfg = config(Map.of("epochs", 2));
        List<EpochMetrics> seen = new ArrayList<>();
        TrialListener listener = new TrialListener() {
            @Override
            public void onEpoch(EpochMetrics metrics) {
                seen.add(metrics);
            }
        };
        try (NDManager m = NDManager.newBaseManager()) {
            PlainLeNet5 model = new PlainLeNet5(m);
            TrainingSession.Outcome o = new TrainingSession("t", cfg, model, new SyntheticDigits(1000, 1),
                    new SyntheticDigits(200, 2), m, listener, CancellationToken.none(), null).run(null);
            assertEquals(2, seen.size());
            assertTrue(o.top1() > 90, "top-1 " + o.top1());
            assertEquals(100.0, o.bops().relativeBops(), 1e-9);
        }
    }

    private static List<EpochMetrics> bayesianBitsRun(Map<String, Object> overrides) throws Exception {
        TrialConfig cfg = config(overrides);
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seedEngine(cfg.seed(), 0);
            BitsModel model = BitsModels.create(cfg, m);
            return new TrainingSession("g", cfg, model, new SyntheticDigits(1000, 1), new SyntheticDigits(200, 2), m,
                    TrialListener.NONE, CancellationToken.none(), null).run(null).history();
        }
    }

    /** --gate-samples reaches the step: 1 repeats the flagless run exactly, 4 trains differently (and finitely). */
    @Test
    void gateSamplesOneRepeatsTheRunAndFourChangesIt() throws Exception {
        double base = bayesianBitsRun(Map.of("epochs", 1)).get(0).trainLoss();
        assertEquals(base, bayesianBitsRun(Map.of("epochs", 1, "gate-samples", 1)).get(0).trainLoss(), 0.0);
        double four = bayesianBitsRun(Map.of("epochs", 1, "gate-samples", 4)).get(0).trainLoss();
        assertTrue(Double.isFinite(four) && four != base, "loss with 4 gate samples " + four + " vs " + base);
    }

    /** bop-exact trains: a finite loss whose regulariser part is the scaled expected BOPs (≈ 20.8 at the start). */
    @Test
    void bopExactRegulariserTrains() throws Exception {
        EpochMetrics e = bayesianBitsRun(Map.of("epochs", 1, "reg-type", "bop-exact")).get(0);
        assertTrue(Double.isFinite(e.trainLoss()));
        assertTrue(e.trainReg() > 15 && e.trainReg() < 21, "mean Σ R " + e.trainReg());
    }

    @Test
    void nonFiniteLossFailsTheTrialWithTheBatchPosition() {
        TrialConfig cfg = config(Map.of("epochs", 1));
        try (NDManager m = NDManager.newBaseManager()) {
            PlainLeNet5 model = new PlainLeNet5(m);
            TrainingSession s = new TrainingSession("nan-trial", cfg, model, new SyntheticDigits(100, 1, Float.NaN),
                    new SyntheticDigits(50, 2), m, TrialListener.NONE, CancellationToken.none(), null);
            TrialFailedException e = assertThrows(TrialFailedException.class, () -> s.run(null));
            assertTrue(e.getMessage().contains("loss became NaN at epoch 1 batch 1"), e.getMessage());
        }
    }

    @Test
    void cancellationIsObservedBetweenBatches() {
        TrialConfig cfg = config(Map.of("epochs", 1));
        CancellationToken cancel = new CancellationToken();
        cancel.cancel();
        try (NDManager m = NDManager.newBaseManager()) {
            PlainLeNet5 model = new PlainLeNet5(m);
            TrainingSession s = new TrainingSession("c", cfg, model, new SyntheticDigits(100, 1),
                    new SyntheticDigits(50, 2), m, TrialListener.NONE, cancel, null);
            assertThrows(TrialCancelledException.class, () -> s.run(null));
        }
    }
}
