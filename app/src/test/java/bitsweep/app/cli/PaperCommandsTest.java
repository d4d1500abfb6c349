package bitsweep.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.cli.TrainCommand;
import bitsweep.trial.TrialConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The reference README's three command lines, verbatim (only the Python entry point replaced by
 * {@code bitsweep train} and the user's shell variables substituted), through the CLI parser: each is
 * accepted and resolves to the paper's configuration.
 */
class PaperCommandsTest {
    private static final String MNIST = """
            --experiment=mnist --model lenet5quantized \\
            --data-dir $DATA_DIR --method bayesian_bits \\
            --gamma-4-init 6 --gamma-8-init 6 --gamma-16-init -6 --gamma-32-init -6 \\
            --gating-method l0 \\
            --learning-rate 1e-3 --learning-rate-q 1e-3 --learning-rate-s 1e-3 \\
            --gating-lambda 1e-1 --batch-size 128 --eval-every 1 --epochs 100 \\
            --learned-scale=range --include-pruning \\
            --optimizer-q Adam --optimizer Adam --optimizer-s Adam \\
            --reg-type bop
            """;
    private static final String CIFAR = """
            --experiment=cifar10 --model vggquantized \\
            --data-dir $DATA_DIR --method bayesian_bits \\
            --gamma-4-init 6 --gamma-8-init 6 --gamma-16-init 6 --gamma-32-init 6 \\
            --gating-method l0 \\
            --learning-rate 1e-3 --learning-rate-q 1e-3 --learning-rate-s 1e-3 \\
            --gating-lambda $MU --batch-size 128 --eval-every 1 --epochs 300 \\
            --learned-scale=range --include-pruning \\
            --optimizer-q Adam --optimizer Adam --optimizer-s Adam \\
            --reg-type bop
            """;
    private static final String IMAGENET = """
            --experiment=imagenet --model=resnet18 \\
            --data-dir=$DATA_DIR --method=bayesian_bits \\
            --gating-method=l0 \\
            --gamma-4-init=6 --gamma-8-init=6 --gamma-16-init=6 --gamma-32-init=-6 \\
            --optimizer=SGD --optimizer-q=Adam --optimizer-s=Adam \\
            --gating-lambda=$MU --batch-size=384 --eval-every=1 --epochs=30 \\
            --learned-scale=range --pretrained --checkpointing --reg-type bop \\
            --include-pruning \\
            --learning-rate=3e-3 --learning-rate-s=1e-3 --learning-rate-q=1e-3 \\
            --lr-schedule=multistep:10:20 --fixed-gate-finetune-epochs=10
            """;

    @TempDir
    Path tmp;

    @AfterEach
    void clearWeightsLocation() {
        System.clearProperty("BITSWEEP_PRETRAINED");
    }

    /** What a shell makes of the command: line continuations joined, variables substituted, split on blanks. */
    private static String[] shell(String command, String dataDir, String mu) {
        String line = command.replace("\\\n", " ").replace("$DATA_DIR", dataDir).replace("$MU", mu);
        List<String> args = new ArrayList<>();
        for (String a : line.trim().split("\\s+")) {
            args.add(a);
        }
        return args.toArray(new String[0]);
    }

    private static TrainCommand parse(String... args) {
        TrainCommand cmd = new TrainCommand();
        Cli.commandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void theMnistCommandResolvesToTheReadmeLeNet5Run() throws Exception {
        TrialConfig c = parse(shell(MNIST, "/data/mnist", "")).config().resolved();
        assertEquals("mnist", c.experiment());
        assertEquals("lenet5quantized", c.model());
        assertEquals("/data/mnist", c.dataDir());
        assertEquals(List.of("adam", "adam", "adam"), List.of(c.optimizer(), c.optimizerQ(), c.optimizerS()));
        assertEquals(0.1, c.gatingLambda());
        assertEquals(List.of(6.0, 6.0, -6.0, -6.0), List.of(c.gamma4Init(), c.gamma8Init(), c.gamma16Init(),
                c.gamma32Init()));
        assertEquals(100, c.epochs());
        assertEquals(128, c.batchSize());
        assertEquals("range", c.learnedScale());
        assertEquals(true, c.includePruning());
        assertEquals("bop", c.regType());
        assertEquals("linear", c.lrSchedule());
        assertNull(c.pretrained());
    }

    @Test
    void theCifarCommandResolvesToTheVgg7RunAtTheGivenMu() throws Exception {
        TrialConfig c = parse(shell(CIFAR, "/data/cifar10", "0.01")).config().resolved();
        assertEquals("vggquantized", c.model());
        assertEquals(0.01, c.gatingLambda());
        assertEquals(300, c.epochs());
        assertEquals(List.of(6.0, 6.0, 6.0, 6.0), List.of(c.gamma4Init(), c.gamma8Init(), c.gamma16Init(),
                c.gamma32Init()));
        assertEquals("adam", c.optimizer());
    }

    @Test
    void theImagenetCommandTakesBarePretrainedAndCheckpointingAndSgd() throws Exception {
        Path weights = Files.writeString(tmp.resolve("resnet18.npz"), "weights");
        System.setProperty("BITSWEEP_PRETRAINED", weights.toString());
        TrainCommand cmd = parse(shell(IMAGENET, "/data/ilsvrc", "0.05"));
        TrialConfig c = cmd.config().resolved();
        assertEquals("resnet18", c.model());
        assertEquals("sgd", c.optimizer(), "--optimizer=SGD");
        assertEquals("adam", c.optimizerQ());
        assertEquals(weights.toString(), c.pretrained(), "bare --pretrained: the configured default location");
        assertEquals(Boolean.TRUE, cmd.checkpointing, "--checkpointing was a flag, not --pretrained's value");
        assertEquals(384, c.batchSize());
        assertEquals(30, c.epochs());
        assertEquals(3e-3, c.learningRate());
        assertEquals("multistep:10:20", c.lrSchedule());
        assertEquals(10, c.fixedGateFinetuneEpochs());
        assertEquals(0.05, c.gatingLambda());
    }

    @Test
    void missingPretrainedWeightsNameTheDefaultLocationAndTheFlagThatOverridesIt() {
        System.setProperty("BITSWEEP_PRETRAINED", tmp.resolve("nowhere.npz").toString());
        StringWriter err = new StringWriter();
        CommandLine cli = Cli.commandLine(new TrainCommand());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(shell(IMAGENET, "/data/ilsvrc", "0.05"));
        assertEquals(2, code);
        assertTrue(err.toString().contains("--pretrained: no pretrained ResNet-18 weights at " + tmp.resolve("nowhere.npz")
                + " (the default location; set BITSWEEP_PRETRAINED or give --pretrained-weights FILE)"), err.toString());
        assertTrue(err.toString().contains("--checkpointing (the reference's gradient checkpointing"), err.toString());
    }

    @Test
    void pretrainedWeightsMayBeNamedExplicitly() throws Exception {
        Path weights = Files.writeString(tmp.resolve("mine.npz"), "weights");
        assertEquals(weights.toString(), parse("--experiment", "imagenet", "--pretrained-weights", weights.toString())
                .config().resolved().pretrained());
        assertEquals(weights.toString(), parse("--experiment", "imagenet", "--pretrained", weights.toString())
                .config().resolved().pretrained(), "BitSweep's earlier --pretrained FILE still works");
    }
}
