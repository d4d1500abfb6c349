package bitsweep.train.loop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import bitsweep.autograd.ParameterGroup;
import bitsweep.bops.BopsReport;
import bitsweep.data.DatasetInfo;
import bitsweep.data.ImageDataset;
import bitsweep.nn.BitsModel;
import bitsweep.train.checkpoint.Checkpoint;
import bitsweep.train.checkpoint.CheckpointIO;
import bitsweep.train.optim.GroupedOptimizer.GroupSpec;
import bitsweep.train.optim.GroupedOptimizer;
import bitsweep.train.optim.UpdateRule;
import bitsweep.train.schedule.FineTuneCosine;
import bitsweep.train.schedule.LrSchedule;
import bitsweep.trial.CancellationToken;
import bitsweep.trial.EpochMetrics;
import bitsweep.trial.TrialCancelledException;
import bitsweep.trial.TrialConfig;
import bitsweep.trial.TrialFailedException;
import bitsweep.trial.TrialListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one Bayesian Bits model (spec §1 steps 3, 6–8): range initialisation, the Bayesian Bits
 * epochs with three optimiser groups and their schedules, evaluation, checkpoints, and optional
 * fixed-gate fine-tuning (§9). Every per-batch array lives in a per-batch sub-manager and an
 * {@link NDScope}, both closed after the optimiser step, so memory stays flat.
 */
public final class TrainingSession {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingSession.class);
    /** Fine-tuning optimisers are hard-coded by the reference (spec §9 step 5). */
    static final double FINE_TUNE_LR = 1e-4;
    public static final String CHECKPOINT_FILE = "checkpoint.ckpt";
    /** {@code -Dbitsweep.checkGradients=true}: fail on the first non-finite gradient, naming the parameter (slow). */
    private static final boolean CHECK_GRADIENTS = Boolean.getBoolean("bitsweep.checkGradients");
    /** Loss values are read to the host every this many batches (and every 10 s, and at an epoch's end). */
    static final int READ_EVERY = 50;
    private static final long READ_INTERVAL_NANOS = 10_000_000_000L;

    private final String trialId;
    private final TrialConfig cfg;
    private final BitsModel model;
    private final ImageDataset train;
    private final Evaluator evaluator;
    private final NDManager manager;
    private final TrialListener listener;
    private final CancellationToken cancel;
    private final Path checkpointDir;
    private final ProgressLog progress;
    private final int[] trainIndices;
    private final int batches;
    private final Loss ce = Loss.softmaxCrossEntropyLoss();

    private final List<EpochMetrics> history = new ArrayList<>();
    private Map<String, double[]> bayesianBitsGateLogits;
    private byte[] bayesianBitsParameters;
    private GroupedOptimizer optimizer;
    /** Trainable parameters of the current phase (the fixed-gate swap replaces some of them). */
    private PairList<String, Parameter> trainableCache;
    private long fineTuneIterations;
    private double wallBefore;
    private long startNanos;

    /** Outcome of the training part of a trial. */
    public record Outcome(List<EpochMetrics> history, double top1, BopsReport bops, Map<String, double[]> gateLogits,
                          double wallSeconds) {
    }

    /**
     * @param cfg           resolved configuration
     * @param checkpointDir where {@value #CHECKPOINT_FILE} goes (null: no checkpoints)
     */
    public TrainingSession(String trialId, TrialConfig cfg, BitsModel model, ImageDataset train, ImageDataset test,
                           NDManager manager, TrialListener listener, CancellationToken cancel, Path checkpointDir) {
        this.trialId = trialId;
        this.cfg = cfg;
        this.model = model;
        this.train = train;
        this.evaluator = new Evaluator(test, Math.max(cfg.batchSize(), 256), cfg.limitTest());
        this.manager = manager;
        this.listener = listener;
        this.cancel = cancel;
        this.checkpointDir = checkpointDir;
        this.progress = new ProgressLog(trialId);
        int n = cfg.limitTrain() == null ? train.size() : Math.min(cfg.limitTrain(), train.size());
        this.trainIndices = new int[n];
        for (int i = 0; i < n; i++) {
            trainIndices[i] = i;
        }
        this.batches = BatchReader.batchCount(n, cfg.batchSize());
    }

    public Outcome run(Checkpoint resume) throws TrialFailedException, TrialCancelledException {
        startNanos = System.nanoTime();
        if (cfg.gateSamples() > 1) {
            LOG.info("[{}] gate-samples {}: every step forwards {} slices of the batch, each with its own gate sample "
                    + "(ablation, docs/regularisers.md)", trialId, cfg.gateSamples(), cfg.gateSamples());
        }
        initializeRanges();
        int epochsDone = 0;
        String phase = Checkpoint.PHASE_BAYESIAN_BITS;
        if (resume != null) {
            restore(resume);
            epochsDone = resume.epochsDone();
            phase = resume.phase();
            LOG.info("[{}] resumed after epoch {} ({} phase next)", trialId, epochsDone, phase);
        }
        int bbEpochs = cfg.epochs();
        int ftEpochs = cfg.fixedGateFinetuneEpochs();
        try (BatchReader reader = new BatchReader(train, cfg.batchSize())) {
            if (phase.equals(Checkpoint.PHASE_BAYESIAN_BITS)) {
                if (optimizer == null) {
                    optimizer = bayesianBitsOptimizer();
                }
                LrSchedule schedule = LrSchedule.parse(cfg.lrSchedule(), bbEpochs, cfg.learningRate());
                for (int e = epochsDone + 1; e <= bbEpochs; e++) {
                    for (ParameterGroup g : ParameterGroup.values()) {
                        optimizer.setFactor(g, schedule.factor(g, e));
                    }
                    EpochStats stats = trainEpoch(reader, e, bbEpochs + ftEpochs, Checkpoint.PHASE_BAYESIAN_BITS);
                    finishEpoch(e, Checkpoint.PHASE_BAYESIAN_BITS, stats, e == bbEpochs && ftEpochs == 0);
                }
                epochsDone = bbEpochs;
                if (ftEpochs > 0) {
                    startFineTune();
                }
            }
            if (ftEpochs > 0) {
                for (int e = epochsDone + 1; e <= bbEpochs + ftEpochs; e++) {
                    EpochStats stats = trainEpoch(reader, e, bbEpochs + ftEpochs, Checkpoint.PHASE_FINE_TUNE);
                    finishEpoch(e, Checkpoint.PHASE_FINE_TUNE, stats, e == bbEpochs + ftEpochs);
                }
            }
        } finally {
            if (optimizer != null) {
                optimizer.close();
            }
        }
        EpochMetrics last = history.get(history.size() - 1);
        Map<String, double[]> gates = bayesianBitsGateLogits != null ? bayesianBitsGateLogits : GateLogits.read(model);
        return new Outcome(List.copyOf(history), last.top1(), model.bops(), gates, wallSeconds());
    }

    /** Spec §1 step 3: one training-mode, gradient-free forward on the first 2 examples of epoch 1's first batch. */
    private void initializeRanges() {
        Seeds.seedEngine(cfg.seed(), 1);
        int[] order = shuffled(1);
        DatasetInfo info = train.info();
        int n = Math.min(2, order.length);
        float[] pixels = new float[n * info.pixelsPerExample()];
        for (int i = 0; i < n; i++) {
            train.read(order[i], pixels, i * info.pixelsPerExample(), new Random(Seeds.forEpoch(cfg.seed(), 1)));
        }
        try (NDManager bm = manager.newSubManager()) {
            model.initializeRanges(bm.create(pixels, new Shape(n, info.channels(), info.height(), info.width())));
        }
    }

    private GroupedOptimizer bayesianBitsOptimizer() {
        Map<ParameterGroup, GroupSpec> groups = new EnumMap<>(ParameterGroup.class);
        groups.put(ParameterGroup.WEIGHTS, new GroupSpec(UpdateRule.of(cfg.optimizer(), cfg.momentum()), cfg.learningRate()));
        groups.put(ParameterGroup.GATES, new GroupSpec(UpdateRule.of(cfg.optimizerQ(), cfg.momentum()), cfg.learningRateQ()));
        groups.put(ParameterGroup.RANGES, new GroupSpec(UpdateRule.of(cfg.optimizerS(), cfg.momentum()), cfg.learningRateS()));
        trainableCache = trainable();
        return new GroupedOptimizer(trainableCache, model::groupOf, groups, manager);
    }

    /** Spec §9 steps 1–5: freeze gates, swap quantizers, fold BN; SGD-Nesterov weights, Adam ranges at 1e-4. */
    private void startFineTune() throws TrialFailedException {
        bayesianBitsGateLogits = GateLogits.read(model);
        bayesianBitsParameters = saveParameters();
        optimizer.close();
        model.freezeToFixedGates();
        double top1 = evaluator.top1(model, manager, listener::onBatch);
        LOG.info("[{}] gates frozen for fine-tuning: top-1 {} %, relative BOPs {} %", trialId,
                String.format(java.util.Locale.ROOT, "%.2f", top1),
                String.format(java.util.Locale.ROOT, "%.4f", model.bops().relativeBops()));
        optimizer = fineTuneOptimizer();
    }

    private GroupedOptimizer fineTuneOptimizer() {
        Map<ParameterGroup, GroupSpec> groups = new EnumMap<>(ParameterGroup.class);
        groups.put(ParameterGroup.WEIGHTS, new GroupSpec(new UpdateRule.NesterovSgd(0.9), FINE_TUNE_LR));
        groups.put(ParameterGroup.RANGES, new GroupSpec(new UpdateRule.Adam(0.9, 0.999, 1e-8), FINE_TUNE_LR));
        trainableCache = trainable();
        return new GroupedOptimizer(trainableCache, model::groupOf, groups, manager);
    }

    private record EpochStats(double loss, double ce, double reg, double imagesPerSecond, double trainSeconds) {
    }

    private EpochStats trainEpoch(BatchReader reader, int epoch, int totalEpochs, String phase)
            throws TrialFailedException, TrialCancelledException {
        boolean fineTune = phase.equals(Checkpoint.PHASE_FINE_TUNE);
        Seeds.seedEngine(cfg.seed(), epoch);
        int[] order = shuffled(epoch);
        Random augment = new Random(Seeds.forEpoch(cfg.seed(), epoch) ^ 0x5DEECE66DL);
        FineTuneCosine ftSchedule = fineTune
                ? new FineTuneCosine((long) cfg.fixedGateFinetuneEpochs() * batches) : null;
        double sumLoss = 0;
        double sumCe = 0;
        double sumReg = 0;
        long images = 0;
        long t0 = System.nanoTime();
        CompletableFuture<HostBatch> next = reader.readAsync(order, 0, augment);
        long lastRead = System.nanoTime();
        try (LossTally tally = new LossTally(manager, READ_EVERY)) {
            for (int b = 0; b < batches; b++) {
                if (cancel.isCancelled()) {
                    next.cancel(true);
                    throw new TrialCancelledException(trialId);
                }
                HostBatch batch = next.join();
                if (b + 1 < batches) {
                    next = reader.readAsync(order, b + 1, augment);
                }
                if (fineTune) {
                    double f = ftSchedule.factor(fineTuneIterations);
                    optimizer.setFactor(ParameterGroup.WEIGHTS, f);
                    optimizer.setFactor(ParameterGroup.RANGES, f);
                }
                step(batch, !fineTune, epoch, b + 1, tally);
                if (fineTune) {
                    fineTuneIterations++;
                }
                images += batch.size();
                listener.onBatch();
                long now = System.nanoTime();
                if (!tally.full() && b + 1 < batches && now - lastRead < READ_INTERVAL_NANOS) {
                    continue;
                }
                // one host read for the batches since the last one (no device sync per batch)
                lastRead = now;
                int first = tally.firstBatch();
                float[][] rows = tally.drain();
                for (int i = 0; i < rows.length; i++) {
                    float[] r = rows[i];
                    if (!Float.isFinite(r[0])) {
                        throw new TrialFailedException(String.format(java.util.Locale.ROOT,
                                "trial %s: loss became %s at epoch %d batch %d (cross-entropy %s, regulariser %s); "
                                        + "lower the learning rates or check the input data", trialId, r[0], epoch,
                                first + i, r[1], r[2]));
                    }
                    sumLoss += r[0];
                    sumCe += r[1];
                    sumReg += r[2];
                }
                float[] last = rows[rows.length - 1];
                double seconds = (System.nanoTime() - t0) / 1e9;
                double ips = images / seconds;
                double epochLeft = (trainIndices.length - images) / ips;
                double runLeft = epochLeft + (double) (totalEpochs - epoch) * trainIndices.length / ips;
                progress.batch(phase, epoch, totalEpochs, b + 1, batches, last[0], last[1], last[2],
                        ips, epochLeft, runLeft);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new EpochStats(sumLoss / batches, sumCe / batches, sumReg / batches, images / seconds, seconds);
    }

    /**
     * One optimiser step: loss = CE + MU·Σ R (+ λ_wd/2·Σ‖θ‖² over the weights group), backward, all
     * groups step, gradients zeroed. Loss, CE and Σ R go into {@code tally} on the device (no host read here);
     * a non-finite loss is caught when the tally is drained, at most {@value #READ_EVERY} batches later.
     */
    private void step(HostBatch batch, boolean bayesianBits, int epoch, int batchNo, LossTally tally) throws TrialFailedException {
        DatasetInfo info = train.info();
        PairList<String, Parameter> params = trainableCache;
        try (NDManager bm = manager.newSubManager(); NDScope scope = new NDScope()) {
            NDArray x = bm.create(batch.pixels(), new Shape(batch.size(), info.channels(), info.height(), info.width()));
            NDArray y = bm.create(batch.labels());
            // Never NDArray.op(Number) on the autograd path: DJL frees that scalar's buffer at once while
            // autograd keeps it for backward (garbage gradients after a GC). Scalars live in bm instead.
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                // fine-tuning has no gates left to sample: one forward, whatever --gate-samples says
                int samples = bayesianBits ? cfg.gateSamples() : 1;
                NDArray ceLoss = GateSampledCrossEntropy.evaluate(model.block(), ce, bm, x, y, samples);
                NDArray total = ceLoss;
                NDArray reg = null;
                if (bayesianBits) {
                    reg = model.regularizer(bm);
                    total = total.add(reg.mul(bm.create(cfg.gatingLambda().floatValue())));
                }
                if (cfg.weightDecay() > 0) {
                    total = total.add(weightL2(params).mul(bm.create((float) (cfg.weightDecay() / 2))));
                }
                tally.record(total, ceLoss, reg);
                collector.backward(total);
            }
            for (Pair<String, Parameter> p : params) {
                NDArray w = p.getValue().getArray();
                if (!optimizer.routes(p.getValue().getId())) {
                    continue;
                }
                NDArray grad = w.getGradient();
                if (CHECK_GRADIENTS) {
                    checkFinite(grad, p.getKey(), epoch, batchNo);
                }
                optimizer.update(p.getValue().getId(), w, grad);
                grad.subi(grad);
            }
        }
    }

    private void checkFinite(NDArray grad, String name, int epoch, int batchNo) throws TrialFailedException {
        for (float v : grad.toFloatArray()) {
            if (!Float.isFinite(v)) {
                throw new TrialFailedException(String.format(java.util.Locale.ROOT,
                        "trial %s: gradient of %s became %s at epoch %d batch %d", trialId, name, v, epoch, batchNo));
            }
        }
    }

    private NDArray weightL2(PairList<String, Parameter> params) {
        NDArray sum = null;
        for (Pair<String, Parameter> p : params) {
            if (model.groupOf(p.getValue()) == ParameterGroup.WEIGHTS) {
                NDArray sq = p.getValue().getArray().square().sum();
                sum = sum == null ? sq : sum.add(sq);
            }
        }
        return sum;
    }

    private void finishEpoch(int epoch, String phase, EpochStats stats, boolean last) throws TrialFailedException {
        boolean evaluate = last || epoch % cfg.evalEvery() == 0;
        long evalStart = System.nanoTime();
        Double top1 = evaluate ? evaluator.top1(model, manager, listener::onBatch) : null;
        BopsReport bops = model.bops();
        Map<String, double[]> gates = phase.equals(Checkpoint.PHASE_BAYESIAN_BITS) ? GateLogits.read(model) : null;
        double seconds = stats.trainSeconds() + (System.nanoTime() - evalStart) / 1e9;
        EpochMetrics m = new EpochMetrics(epoch, phase, stats.loss(), stats.ce(), stats.reg(), top1,
                bops.relativeBops(), bops.gbops(), bops.layers(), stats.imagesPerSecond(), seconds);
        history.add(m);
        if (evaluate) {
            progress.evaluation(phase, epoch, top1, bops, gates);
        }
        listener.onEpoch(m);
        if (checkpointDir != null && (last || epoch % cfg.checkpointEvery() == 0)) {
            // After the last Bayesian Bits epoch the phase is still bayesian-bits: a resume runs no
            // further Bayesian Bits epoch and performs the fixed-gate swap itself.
            writeCheckpoint(epoch, phase);
        }
    }

    private void writeCheckpoint(int epoch, String phase) throws TrialFailedException {
        Path file = checkpointDir.resolve(CHECKPOINT_FILE);
        boolean ft = phase.equals(Checkpoint.PHASE_FINE_TUNE);
        Checkpoint c = new Checkpoint(trialId, cfg, phase, epoch, fineTuneIterations, List.copyOf(history),
                ft ? bayesianBitsGateLogits : null, saveParameters(), ft ? bayesianBitsParameters : null,
                optimizer.snapshot(), wallSeconds());
        try {
            CheckpointIO.write(file, c);
        } catch (IOException e) {
            throw new TrialFailedException("trial " + trialId + ": cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
        LOG.info("[{}] checkpoint after epoch {} written to {}", trialId, epoch, file);
        listener.onCheckpoint(epoch, file);
    }

    /** Loads a checkpoint into the freshly built, range-initialised model and a fresh optimiser. */
    private void restore(Checkpoint c) throws TrialFailedException {
        history.addAll(c.history());
        wallBefore = c.wallSeconds();
        fineTuneIterations = c.fineTuneIterations();
        if (c.phase().equals(Checkpoint.PHASE_FINE_TUNE)) {
            loadParameters(c.bayesianBitsParameters());
            bayesianBitsParameters = c.bayesianBitsParameters();
            bayesianBitsGateLogits = c.gateLogits();
            model.freezeToFixedGates();
            loadParameters(c.modelParameters());
            optimizer = fineTuneOptimizer();
        } else {
            loadParameters(c.modelParameters());
            optimizer = bayesianBitsOptimizer();
        }
        optimizer.restore(c.optimizerSlots(), trainable());
    }

    private byte[] saveParameters() throws TrialFailedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            model.block().saveParameters(out);
        } catch (IOException e) {
            throw new TrialFailedException("trial " + trialId + ": cannot serialise the model: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    private void loadParameters(byte[] bytes) throws TrialFailedException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            model.block().loadParameters(manager, in);
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new TrialFailedException("trial " + trialId + ": checkpoint does not fit the model "
                    + model.architecture() + ": " + e.getMessage(), e);
        }
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            Parameter param = p.getValue();
            if (param.requiresGradient() && param.getArray() != null && !param.getArray().hasGradient()) {
                param.getArray().setRequiresGradient(true);
            }
        }
    }

    /** Parameters that learn (BN running statistics and other buffers excluded). */
    private PairList<String, Parameter> trainable() {
        PairList<String, Parameter> out = new PairList<>();
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            if (p.getValue().requiresGradient() && p.getValue().getArray() != null) {
                out.add(p);
            }
        }
        return out;
    }

    private int[] shuffled(int epoch) {
        int[] order = trainIndices.clone();
        Random rng = new Random(Seeds.forEpoch(cfg.seed(), epoch));
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private double wallSeconds() {
        return wallBefore + (System.nanoTime() - startNanos) / 1e9;
    }
}
