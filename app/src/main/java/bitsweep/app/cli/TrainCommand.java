package bitsweep.app.cli;

import bitsweep.io.Json;
import bitsweep.natives.GpuNatives;
import bitsweep.trial.CancellationToken;
import bitsweep.train.DjlTrialRunner;
import bitsweep.trial.TrialConfig;
import bitsweep.trial.TrialListener;
import bitsweep.train.TrialRequest;
import bitsweep.trial.TrialResult;
import bitsweep.train.checkpoint.CheckpointIO;
import bitsweep.train.loop.ProgressLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bitsweep train}: one Bayesian Bits trial from the command line, with the reference
 * implementation's flag names (spec §8.2). Unset flags take the experiment's README preset.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train one Bayesian Bits model (one trial).",
                "Unset flags take the preset of --experiment (the paper's README command); see docs/training.md."})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--experiment", description = "mnist, cifar10 or imagenet (required unless --resume)")
    String experiment;
    @Option(names = "--model", description = "lenet5quantized | vggquantized | resnet18 (must match the experiment)")
    String model;
    @Option(names = "--data-dir", description = "data folder (default data/<experiment>)")
    String dataDir;
    @Option(names = "--method", description = "bayesian_bits")
    String method;
    @Option(names = "--gating-method", description = "l0 (sampled hard-concrete gates) or fixed")
    String gatingMethod;
    @Option(names = "--gamma-4-init", description = "initial log α_4")
    Double gamma4Init;
    @Option(names = "--gamma-8-init", description = "initial log α_8")
    Double gamma8Init;
    @Option(names = "--gamma-16-init", description = "initial log α_16")
    Double gamma16Init;
    @Option(names = "--gamma-32-init", description = "initial log α_32")
    Double gamma32Init;
    @Option(names = "--gating-lambda", description = "MU, regulariser strength")
    Double gatingLambda;
    @Option(names = "--learning-rate", description = "weights group LR")
    Double learningRate;
    @Option(names = "--learning-rate-q", description = "gates group LR")
    Double learningRateQ;
    @Option(names = "--learning-rate-s", description = "ranges group LR")
    Double learningRateS;
    @Option(names = "--optimizer", description = "weights group: adam or sgd (Nesterov)")
    String optimizer;
    @Option(names = "--optimizer-q", description = "gates group: adam or sgd")
    String optimizerQ;
    @Option(names = "--optimizer-s", description = "ranges group: adam or sgd")
    String optimizerS;
    @Option(names = "--momentum", description = "Nesterov momentum of sgd groups (default 0.9)")
    Double momentum;
    @Option(names = "--batch-size")
    Integer batchSize;
    @Option(names = "--epochs", description = "Bayesian Bits epochs")
    Integer epochs;
    @Option(names = "--eval-every", description = "evaluate every N epochs (and after the last)")
    Integer evalEvery;
    @Option(names = "--learned-scale", description = "range (clip mode), scale or none")
    String learnedScale;
    @Option(names = "--include-pruning", arity = "0..1", fallbackValue = "true",
            description = "channel pruning gates (default true; --include-pruning=false for quantization only)")
    Boolean includePruning;
    @Option(names = "--reg-type", description = "bop (paper), const, or bop-exact (expected BOPs; docs/regularisers.md)")
    String regType;
    @Option(names = "--lr-schedule", description = "linear | none | multistep:E1:E2… | cosine:ETA_MIN")
    String lrSchedule;
    @Option(names = "--fixed-gate-finetune-epochs", description = "fixed-gate fine-tuning epochs after training")
    Integer fixedGateFinetuneEpochs;
    @Option(names = "--prune-only", arity = "0..1", fallbackValue = "true")
    Boolean pruneOnly;
    @Option(names = "--fixed-8bit", arity = "0..1", fallbackValue = "true")
    Boolean fixed8bit;
    @Option(names = "--fixed-48bit", arity = "0..1", fallbackValue = "true")
    Boolean fixed48bit;
    @Option(names = "--pretrained", arity = "0..1", fallbackValue = DEFAULT_WEIGHTS, paramLabel = "FILE",
            description = "ResNet-18: start from pretrained FP32 weights (the reference's bare flag: from "
                    + "$BITSWEEP_PRETRAINED, else data/pretrained/resnet18.npz; see docs/pretrained.md)")
    String pretrained;
    @Option(names = "--pretrained-weights", paramLabel = "FILE", description = "ResNet-18: the pretrained weights file")
    Path pretrainedWeights;
    @Option(names = "--checkpointing", arity = "0..1", fallbackValue = "true",
            description = "accepted for the reference's command line: gradient checkpointing (memory only, no effect "
                    + "on results); BitSweep trains without it")
    Boolean checkpointing;
    @Option(names = "--weight-decay", description = "L2 loss term on the weights group (default 0)")
    Double weightDecay;
    @Option(names = "--seed", description = "RNG seed (default 0); CPU runs with the same seed repeat exactly")
    Long seed;
    @Option(names = "--limit-train", description = "use only the first N training examples")
    Integer limitTrain;
    @Option(names = "--limit-test", description = "evaluate only the first N test examples")
    Integer limitTest;
    @Option(names = "--checkpoint-every", description = "checkpoint every N epochs (default 1)")
    Integer checkpointEvery;

    @Option(names = "--gate-samples", description = "ablation: K independent gate samples per step, each on 1/K of "
            + "the batch (as K DataParallel replicas); default 1")
    Integer gateSamples;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu() or gpu(N) (default ${DEFAULT-VALUE})")
    String device;
    @Option(names = "--output", description = "trial folder for checkpoint, result.json, model.bbfg "
            + "(default results/train/<experiment>-seed<seed>)")
    Path output;
    @Option(names = "--resume", description = "checkpoint to continue from; its settings are used, flags given "
            + "here must agree with them")
    Path resume;
    @Option(names = "--trial-id", description = "id written into result.json (default: the output folder's name)")
    String trialId;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrialConfig cfg;
        if (Boolean.TRUE.equals(checkpointing)) {
            err.println("bitsweep train: note: --checkpointing (the reference's gradient checkpointing, which only "
                    + "saves GPU memory) is not needed here; training runs without it, with the same results");
        }
        try {
            cfg = config().resolved();
        } catch (IOException e) {
            // a --pretrained or --resume file that is missing or unreadable is bad input, not a failed run
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Path dir = output != null ? output
                : Path.of("results", "train", cfg.experiment() + "-seed" + cfg.seed());
        if (resume != null && output == null) {
            dir = resume.toAbsolutePath().getParent();
        }
        String id = trialId != null ? trialId : dir.toAbsolutePath().getFileName().toString();
        TrialResult r;
        try {
            r = new DjlTrialRunner().run(new TrialRequest(id, cfg, dir, resume, device), TrialListener.NONE,
                    CancellationToken.none());
        } catch (GpuNatives.MissingNativesException e) {
            throw new IllegalArgumentException("--device " + device + ": " + e.getMessage(), e); // name the flag
        }
        out.printf(Locale.ROOT, "trial %s: top-1 %.2f %%, relative BOPs %.4f %% (%.4f GBOPs), %.0f s%n",
                r.trialId(), r.top1(), r.relativeBops(), r.gbops(), r.wallSeconds());
        out.println(ProgressLog.bitTable(r.bitTable(), r.gateLogits()));
        out.println("result: " + dir.resolve(DjlTrialRunner.RESULT_FILE) + ", fixed-gate model: "
                + dir.resolve(r.artifact()));
        out.flush();
        return 0;
    }

    /** Where the bare {@code --pretrained} looks (an environment variable or system property, else this path). */
    static final String DEFAULT_WEIGHTS = "\u0000default";
    static final Path DEFAULT_WEIGHTS_PATH = Path.of("data", "pretrained", "resnet18.npz");

    /** The weights file of {@code --pretrained[=FILE]} / {@code --pretrained-weights FILE}, checked; or null. */
    String pretrainedFile() throws IOException {
        if (pretrainedWeights == null && pretrained == null) {
            return null;
        }
        boolean bare = pretrainedWeights == null && DEFAULT_WEIGHTS.equals(pretrained);
        String configured = ai.djl.util.Utils.getEnvOrSystemProperty("BITSWEEP_PRETRAINED");
        Path file = pretrainedWeights != null ? pretrainedWeights
                : !bare ? Path.of(pretrained)
                : configured != null ? Path.of(configured) : DEFAULT_WEIGHTS_PATH;
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IOException("--pretrained: no pretrained ResNet-18 weights at " + file
                    + (bare ? " (the default location; set BITSWEEP_PRETRAINED or give --pretrained-weights FILE)"
                    : "") + "; export them as described in docs/pretrained.md");
        }
        return file.toString();
    }

    /** The flags as a config; with --resume, the checkpoint's config with the given flags laid over it. */
    TrialConfig config() throws IOException {
        TrialConfig flags = new TrialConfig(experiment, model, dataDir, method, gatingMethod, gamma4Init, gamma8Init,
                gamma16Init, gamma32Init, gatingLambda, learningRate, learningRateQ, learningRateS, optimizer,
                optimizerQ, optimizerS, momentum, batchSize, epochs, evalEvery, learnedScale, includePruning, regType,
                lrSchedule, fixedGateFinetuneEpochs, pruneOnly, fixed8bit, fixed48bit, pretrainedFile(), weightDecay, seed,
                limitTrain, limitTest, checkpointEvery, gateSamples);
        if (resume == null) {
            return flags;
        }
        TrialConfig saved = CheckpointIO.read(resume).config();
        ObjectNode merged = Json.PRETTY_NON_NULL.valueToTree(saved);
        JsonNode given = Json.PRETTY_NON_NULL.valueToTree(flags);
        given.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
        return Json.PRETTY_NON_NULL.treeToValue(merged, TrialConfig.class);
    }
}
