package bitsweep.app.cli;

import bitsweep.io.Json;
import bitsweep.natives.GpuNatives;
import bitsweep.train.DjlTrialRunner;
import bitsweep.train.TrialRequest;
import bitsweep.train.checkpoint.CheckpointIO;
import bitsweep.train.loop.ProgressLog;
import bitsweep.trial.CancellationToken;
import bitsweep.trial.TrialConfig;
import bitsweep.trial.TrialFlag;
import bitsweep.trial.TrialFlags;
import bitsweep.trial.TrialListener;
import bitsweep.trial.TrialResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
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

    CommandSpec spec;

    /** picocli hands over the command's model while building it: the trial flags join it, from the flag table. */
    @Spec
    void spec(CommandSpec spec) {
        this.spec = spec;
        TrialFlagOptions.addTo(spec);
    }

    @Option(names = "--pretrained-weights", paramLabel = "FILE", description = "ResNet-18: the pretrained weights file")
    Path pretrainedWeights;
    @Option(names = "--checkpointing", arity = "0..1", fallbackValue = "true",
            description = "accepted for the reference's command line: gradient checkpointing (memory only, no effect "
                    + "on results); BitSweep trains without it")
    Boolean checkpointing;

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
        out.println("result: " + dir.resolve(TrialResult.FILE_NAME) + ", fixed-gate model: "
                + dir.resolve(r.artifact()));
        out.flush();
        return 0;
    }

    /** Where the bare {@code --pretrained} looks (an environment variable or system property, else this path). */
    static final Path DEFAULT_WEIGHTS_PATH = Path.of("data", "pretrained", "resnet18.npz");

    /** The weights file of {@code --pretrained[=FILE]} / {@code --pretrained-weights FILE}, checked; or null. */
    String pretrainedFile(String pretrained) throws IOException {
        if (pretrainedWeights == null && pretrained == null) {
            return null;
        }
        boolean bare = pretrainedWeights == null && TrialFlagOptions.BARE.equals(pretrained);
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

    /**
     * The flags as a config, converted exactly as a sweep file's flags are; with --resume, the
     * checkpoint's config with the given flags laid over it.
     */
    TrialConfig config() throws IOException {
        Map<String, Object> given = TrialFlagOptions.given(spec);
        String pretrained = pretrainedFile((String) given.remove(TrialFlag.PRETRAINED.flagName()));
        if (pretrained != null) {
            given.put(TrialFlag.PRETRAINED.flagName(), pretrained);
        }
        TrialConfig flags = TrialFlags.fromMap(given);
        if (resume == null) {
            return flags;
        }
        TrialConfig saved = CheckpointIO.read(resume).config();
        ObjectNode merged = Json.PRETTY_NON_NULL.valueToTree(saved);
        JsonNode over = Json.PRETTY_NON_NULL.valueToTree(flags);
        over.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
        return Json.PRETTY_NON_NULL.treeToValue(merged, TrialConfig.class);
    }
}
