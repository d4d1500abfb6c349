package bitsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitsweep.trial.TrialConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Trial ids hash the resolved configuration's JSON, and journals and {@code result.json} files store
 * that JSON: however the flags are declared, the JSON form (names, order, values, nulls left out) and
 * so every existing trial id must stay byte for byte what it was. The pinned values were taken before
 * the flags got their single table (issue 13).
 */
class TrialIdStabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ENV = Map.of("IMAGENET_PRETRAINED", "/weights/resnet18.pt");

    private static TrialConfig resolved(String json) throws Exception {
        return JSON.readValue(json, TrialConfig.class).resolved();
    }

    @Test
    void theJsonFormOfEachResolvedPresetIsUnchanged() throws Exception {
        assertEquals("""
                {"experiment":"mnist","model":"lenet5quantized","data-dir":"data/mnist",\
                "method":"bayesian_bits","gating-method":"l0","gamma-4-init":6.0,"gamma-8-init":6.0,\
                "gamma-16-init":-6.0,"gamma-32-init":-6.0,"gating-lambda":0.1,"learning-rate":0.001,\
                "learning-rate-q":0.001,"learning-rate-s":0.001,"optimizer":"adam","optimizer-q":"adam",\
                "optimizer-s":"adam","momentum":0.9,"batch-size":128,"epochs":100,"eval-every":1,\
                "learned-scale":"range","include-pruning":true,"reg-type":"bop","lr-schedule":"linear",\
                "fixed-gate-finetune-epochs":0,"prune-only":false,"fixed-8bit":false,"fixed-48bit":false,\
                "weight-decay":0.0,"seed":0,"checkpoint-every":1,"gate-samples":1}""",
                JSON.writeValueAsString(resolved("{\"experiment\":\"mnist\"}")));
        assertEquals("""
                {"experiment":"cifar10","model":"vggquantized","data-dir":"data/cifar10",\
                "method":"bayesian_bits","gating-method":"l0","gamma-4-init":6.0,"gamma-8-init":6.0,\
                "gamma-16-init":6.0,"gamma-32-init":6.0,"gating-lambda":0.01,"learning-rate":0.001,\
                "learning-rate-q":0.001,"learning-rate-s":0.001,"optimizer":"adam","optimizer-q":"adam",\
                "optimizer-s":"adam","momentum":0.9,"batch-size":128,"epochs":300,"eval-every":1,\
                "learned-scale":"range","include-pruning":true,"reg-type":"bop","lr-schedule":"linear",\
                "fixed-gate-finetune-epochs":0,"prune-only":false,"fixed-8bit":false,"fixed-48bit":false,\
                "weight-decay":0.0,"seed":0,"checkpoint-every":1,"gate-samples":1}""",
                JSON.writeValueAsString(resolved("{\"experiment\":\"cifar10\"}")));
        assertEquals("""
                {"experiment":"imagenet","model":"resnet18","data-dir":"data/imagenet","method":"bayesian_bits",\
                "gating-method":"l0","gamma-4-init":6.0,"gamma-8-init":6.0,"gamma-16-init":6.0,\
                "gamma-32-init":-6.0,"gating-lambda":0.01,"learning-rate":0.003,"learning-rate-q":0.001,\
                "learning-rate-s":0.001,"optimizer":"sgd","optimizer-q":"adam","optimizer-s":"adam",\
                "momentum":0.9,"batch-size":384,"epochs":30,"eval-every":1,"learned-scale":"range",\
                "include-pruning":true,"reg-type":"bop","lr-schedule":"multistep:10:20",\
                "fixed-gate-finetune-epochs":10,"prune-only":false,"fixed-8bit":false,"fixed-48bit":false,\
                "weight-decay":0.0,"seed":0,"checkpoint-every":1,"gate-samples":1}""",
                JSON.writeValueAsString(resolved("{\"experiment\":\"imagenet\"}")));
    }

    @Test
    void choiceValuesAreStoredInLowerCaseAndUnsetFlagsAreLeftOut() throws Exception {
        TrialConfig partial = JSON.readValue("{\"experiment\":\"MNIST\",\"optimizer\":\"SGD\",\"epochs\":3}",
                TrialConfig.class);
        assertEquals("{\"experiment\":\"MNIST\",\"optimizer\":\"SGD\",\"epochs\":3}", JSON.writeValueAsString(partial));
        assertEquals("""
                {"experiment":"mnist","model":"lenet5quantized","data-dir":"data/mnist",\
                "method":"bayesian_bits","gating-method":"l0","gamma-4-init":6.0,"gamma-8-init":6.0,\
                "gamma-16-init":-6.0,"gamma-32-init":-6.0,"gating-lambda":0.1,"learning-rate":0.001,\
                "learning-rate-q":0.001,"learning-rate-s":0.001,"optimizer":"sgd","optimizer-q":"adam",\
                "optimizer-s":"adam","momentum":0.9,"batch-size":128,"epochs":3,"eval-every":1,\
                "learned-scale":"range","include-pruning":true,"reg-type":"bop","lr-schedule":"linear",\
                "fixed-gate-finetune-epochs":0,"prune-only":false,"fixed-8bit":false,"fixed-48bit":false,\
                "weight-decay":0.0,"seed":0,"checkpoint-every":1,"gate-samples":1}""",
                JSON.writeValueAsString(partial.resolved()));
    }

    @Test
    void theCanonicalJsonOfATrialIsUnchanged() throws Exception {
        assertEquals("""
                {"config":{"batch-size":384,"epochs":30,"eval-every":1,"experiment":"imagenet",\
                "fixed-48bit":false,"fixed-8bit":false,"fixed-gate-finetune-epochs":10,"gamma-16-init":6.0,\
                "gamma-32-init":-6.0,"gamma-4-init":6.0,"gamma-8-init":6.0,"gate-samples":2,\
                "gating-lambda":0.01,"gating-method":"l0","include-pruning":true,"learned-scale":"range",\
                "learning-rate":0.003,"learning-rate-q":0.001,"learning-rate-s":0.001,\
                "lr-schedule":"multistep:10:20","method":"bayesian_bits","model":"resnet18","momentum":0.9,\
                "optimizer":"sgd","optimizer-q":"adam","optimizer-s":"adam","pretrained":true,\
                "prune-only":false,"reg-type":"bop","seed":0,"weight-decay":0.0},"variant":"pruning"}""",
                TrialIds.canonicalJson("pruning",
                        resolved("{\"experiment\":\"imagenet\",\"pretrained\":\"/w.npz\",\"gate-samples\":2}")));
    }

    @Test
    void theShippedSweepsKeepTheirTrialIds() throws Exception {
        String ids;
        try (Stream<Path> files = Files.list(ShippedSweepsTest.sweepsDir())) {
            ids = files.filter(p -> p.toString().endsWith(".yaml")).sorted().map(f -> {
                try {
                    List<String> trialIds = SweepParser.parse(f, ENV).trials().stream()
                            .map(TrialSpec::trialId).toList();
                    return f.getFileName() + ": " + String.join(" ", trialIds);
                } catch (Exception e) {
                    throw new IllegalStateException(f.toString(), e);
                }
            }).collect(Collectors.joining("\n"));
        }
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(ids.getBytes(StandardCharsets.UTF_8)));
        assertEquals("1b57d0408c3c4503b12a581809eace5aa97727d460b418d114f9094c7e65f81f", digest, ids);
    }
}
