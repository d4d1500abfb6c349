package bitsweep.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import bitsweep.artifact.ArtifactIO;
import bitsweep.artifact.FixedGateArtifact;
import bitsweep.data.Datasets;
import bitsweep.data.ImageDataset;
import bitsweep.io.AtomicFiles;
import bitsweep.io.Json;
import bitsweep.nn.BitsModel;
import bitsweep.nn.BitsModels;
import bitsweep.train.checkpoint.Checkpoint;
import bitsweep.train.checkpoint.CheckpointIO;
import bitsweep.train.loop.Seeds;
import bitsweep.train.loop.TrainingSession;
import bitsweep.trial.CancellationToken;
import bitsweep.trial.TrialCancelledException;
import bitsweep.trial.TrialConfig;
import bitsweep.trial.TrialFailedException;
import bitsweep.trial.TrialListener;
import bitsweep.trial.TrialResult;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real trial runner: builds the model on the requested device, trains it with a
 * {@link TrainingSession}, and writes {@code result.json} and the fixed-gate artifact
 * {@code model.bbfg} into the trial's work directory (both atomically). Checkpoints go to
 * {@code <workDir>/checkpoint.ckpt}.
 */
public final class DjlTrialRunner implements TrialRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DjlTrialRunner.class);
    public static final String ARTIFACT_FILE = "model" + ArtifactIO.FILE_EXTENSION;

    private final ModelFactory models;
    private final DatasetSource data;

    /** The production runner: {@link BitsModels} networks on {@link Datasets} data. */
    public DjlTrialRunner() {
        this(BitsModels::create, (cfg, train) -> Datasets.open(cfg.experiment(), Path.of(cfg.dataDir()), train));
    }

    public DjlTrialRunner(ModelFactory models, DatasetSource data) {
        this.models = models;
        this.data = data;
    }

    @Override
    public TrialResult run(TrialRequest request, TrialListener listener, CancellationToken cancel)
            throws TrialFailedException, TrialCancelledException {
        TrialConfig cfg = request.config().resolved();
        String id = request.trialId();
        Checkpoint resume = readResume(request, cfg);
        Device device = Devices.select(request.device());
        Path workDir = request.workDir();
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new TrialFailedException("trial " + id + ": cannot create work directory " + workDir + ": " + e, e);
        }
        LOG.info("[{}] {} on {}: {} epochs (+{} fine-tuning), MU {}, batch {}, seed {}", id, cfg.model(), device,
                cfg.epochs(), cfg.fixedGateFinetuneEpochs(), cfg.gatingLambda(), cfg.batchSize(), cfg.seed());
        try (NDManager manager = NDManager.newBaseManager(device);
             ImageDataset train = open(cfg, true, id);
             ImageDataset test = open(cfg, false, id)) {
            // workers train on their own threads, where PyTorch's grad mode starts on (see NoGrad)
            bitsweep.autograd.NoGrad.resetThread();
            Seeds.seedEngine(cfg.seed(), 0);
            BitsModel model = createModel(cfg, manager, id);
            TrainingSession session = new TrainingSession(id, cfg, model, train, test, manager, listener, cancel,
                    workDir);
            TrainingSession.Outcome outcome = session.run(resume);
            FixedGateArtifact artifact = model.toArtifact(id, outcome.top1());
            ArtifactIO.write(artifact, workDir.resolve(ARTIFACT_FILE));
            TrialResult result = new TrialResult(id, cfg, outcome.history(), outcome.top1(),
                    outcome.bops().relativeBops(), outcome.bops().gbops(), outcome.bops().layers(),
                    outcome.gateLogits(), ARTIFACT_FILE, outcome.wallSeconds());
            Path resultFile = workDir.resolve(TrialResult.FILE_NAME);
            AtomicFiles.writeBytes(resultFile, Json.PRETTY_NON_NULL.writeValueAsBytes(result));
            LOG.info("[{}] finished: top-1 {} %, relative BOPs {} %, result in {}", id,
                    String.format(java.util.Locale.ROOT, "%.2f", result.top1()),
                    String.format(java.util.Locale.ROOT, "%.4f", result.relativeBops()), resultFile);
            return result;
        } catch (IOException e) {
            throw new TrialFailedException("trial " + id + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new TrialFailedException("trial " + id + " failed: " + e, e);
        }
    }

    private BitsModel createModel(TrialConfig cfg, NDManager manager, String id) throws TrialFailedException {
        try {
            return models.create(cfg, manager);
        } catch (IOException e) {
            throw new TrialFailedException("trial " + id + ": cannot build " + cfg.model() + ": " + e.getMessage(), e);
        }
    }

    private ImageDataset open(TrialConfig cfg, boolean train, String id) throws TrialFailedException {
        try {
            return data.open(cfg, train);
        } catch (IOException e) {
            throw new TrialFailedException("trial " + id + ": cannot open the " + (train ? "training" : "test")
                    + " split of " + cfg.experiment() + " in " + cfg.dataDir() + ": " + e.getMessage(), e);
        }
    }

    private static Checkpoint readResume(TrialRequest request, TrialConfig cfg) throws TrialFailedException {
        if (request.resumeFrom() == null) {
            return null;
        }
        Checkpoint c;
        try {
            c = CheckpointIO.read(request.resumeFrom());
        } catch (IOException e) {
            throw new CheckpointUnreadableException("trial " + request.trialId() + ": cannot resume from "
                    + request.resumeFrom() + ": " + e.getMessage(), e);
        }
        // re-resolved so that a flag added since the checkpoint was written (e.g. gate-samples) compares at its default
        List<String> diff = differences(c.config().resolved(), cfg);
        if (!diff.isEmpty()) {
            throw new TrialFailedException("trial " + request.trialId() + ": checkpoint " + request.resumeFrom()
                    + " was written with different settings (" + String.join(", ", diff) + "); resume with the "
                    + "checkpoint's settings");
        }
        return c;
    }

    /** Flags whose values differ, as {@code name: checkpoint → requested}. */
    static List<String> differences(TrialConfig saved, TrialConfig requested) {
        JsonNode a = Json.PRETTY_NON_NULL.valueToTree(saved);
        JsonNode b = Json.PRETTY_NON_NULL.valueToTree(requested);
        List<String> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.TreeSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            JsonNode x = a.get(n);
            JsonNode y = b.get(n);
            if (x == null ? y != null : !x.equals(y)) {
                out.add(n + ": " + x + " → " + y);
            }
        }
        return out;
    }
}
