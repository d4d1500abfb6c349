package bitsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per kind of malformed sweep file: each asserts the reported {@code file:line:col} and
 * that the message names what was expected. Most cases are rows of {@link #malformedFiles()}; the
 * {@code @Test}s below it assert something more (how many problems, their order, the time taken).
 */
class SweepFileValidationTest {
    private static final Path FILE = Path.of("bad.yaml");

    /** The problems reported for {@code yaml}; fails when the file is accepted. */
    static List<String> problems(String yaml, Map<String, String> env) {
        SweepFileException e = assertThrows(SweepFileException.class, () -> SweepParser.parse(yaml, FILE, env),
                "expected the sweep file to be rejected");
        return e.problems();
    }

    static List<String> problems(String yaml) {
        return problems(yaml, Map.of());
    }

    /** Asserts that one problem is at {@code lineCol} and contains every fragment. */
    static void assertProblem(List<String> problems, String lineCol, String... fragments) {
        String prefix = "bad.yaml:" + lineCol + ": ";
        for (String p : problems) {
            if (p.startsWith(prefix) && List.of(fragments).stream().allMatch(p::contains)) {
                return;
            }
        }
        fail("no problem at " + lineCol + " containing " + List.of(fragments) + "; got:\n" + String.join("\n", problems));
    }

    private static final String PARAMS = """
            parameters:
              gating-lambda:
                values: [0.01, 0.1]
            """;

    /** A malformed file and the problem it must get: at {@code lineCol}, containing every fragment. */
    private static Arguments rejects(String behaviour, String yaml, String lineCol, String... fragments) {
        return Arguments.of(behaviour, yaml, lineCol, fragments);
    }

    static Stream<Arguments> malformedFiles() {
        return Stream.of(
                // ---- keys and flag names ----
                rejects("unknown top-level key suggests the nearest known key",
                        "experiment: mnist\nmethod: grid\nmx-attempts: 2\n" + PARAMS,
                        "3:1", "unknown top-level key 'mx-attempts'", "did you mean 'max-attempts'?",
                        "expected one of"),
                rejects("unknown flag in base suggests the nearest train flag",
                        "experiment: mnist\nmethod: grid\nbase:\n  gating-lamda: 0.1\n" + PARAMS,
                        "4:3", "base: unknown flag 'gating-lamda'", "did you mean 'gating-lambda'?"),
                rejects("unknown flag as parameter is reported", """
                        experiment: mnist
                        method: grid
                        parameters:
                          learnig-rate:
                            values: [0.1]
                        """,
                        "4:3", "parameters: unknown flag 'learnig-rate'", "did you mean 'learning-rate'?"),

                // ---- value types ----
                rejects("string where integer expected is a wrong type",
                        "experiment: mnist\nmethod: grid\nbase:\n  epochs: ten\n" + PARAMS,
                        "4:11", "epochs: expected an integer, got string 'ten'"),
                rejects("fractional epochs is a wrong type",
                        "experiment: mnist\nmethod: grid\nbase:\n  epochs: 2.5\n" + PARAMS,
                        "4:11", "epochs: expected an integer, got number '2.5'"),
                rejects("yes is not a boolean in YAML 1.2",
                        "experiment: mnist\nmethod: grid\nvariants:\n  on: {include-pruning: yes}\n" + PARAMS,
                        "4:25", "include-pruning: expected true or false, got string 'yes'"),
                rejects("list where string expected is a wrong type",
                        "experiment: [mnist]\nmethod: grid\n" + PARAMS,
                        "1:13", "experiment: expected a string, got a list"),
                rejects("number for string flag asks to quote",
                        "experiment: mnist\nmethod: grid\nbase:\n  lr-schedule: 5\n" + PARAMS,
                        "4:16", "lr-schedule: expected a string, got integer '5'", "quote it"),

                // ---- value ranges ----
                rejects("negative gating-lambda in values points at the value", """
                        experiment: mnist
                        method: grid
                        parameters:
                          gating-lambda:
                            values: [0.1, -0.5]
                        """,
                        "5:19", "gating-lambda: expected a number >= 0, got -0.5"),
                rejects("zero epochs is out of range",
                        "experiment: mnist\nmethod: grid\nbase:\n  epochs: 0\n" + PARAMS,
                        "4:11", "epochs: expected an integer >= 1, got 0"),

                // ---- parameter axes: values lists and distributions ----
                rejects("values that is not a list is rejected", """
                        experiment: mnist
                        method: grid
                        parameters:
                          gating-lambda:
                            values: 0.1
                        """,
                        "5:13", "parameters.gating-lambda.values: expected a list like [0.01, 0.1], got number '0.1'"),
                rejects("empty values list is rejected", """
                        experiment: mnist
                        method: grid
                        parameters:
                          gating-lambda:
                            values: []
                        """,
                        "5:13", "parameters.gating-lambda.values: empty list; expected at least one value"),
                rejects("duplicate value in a list is rejected", """
                        experiment: mnist
                        method: grid
                        parameters:
                          gating-lambda:
                            values: [0.1, 0.2, 0.1]
                        """,
                        "5:24", "duplicate value 0.1 (first at 5:14)"),
                rejects("min greater than max is rejected", """
                        experiment: mnist
                        method: random
                        run_cap: 4
                        parameters:
                          learning-rate:
                            distribution: uniform
                            min: 0.1
                            max: 0.01
                        """,
                        "7:10", "parameters.learning-rate: min (0.1) must be less than max (0.01)"),
                rejects("log_uniform_values with non-positive min is rejected", """
                        experiment: mnist
                        method: random
                        run_cap: 4
                        parameters:
                          gating-lambda:
                            distribution: log_uniform_values
                            min: 0
                            max: 0.2
                        """,
                        "7:10", "log_uniform_values needs min > 0, got 0"),
                rejects("grid with a distribution is rejected", """
                        experiment: mnist
                        method: grid
                        parameters:
                          gating-lambda:
                            distribution: uniform
                            min: 0.01
                            max: 0.2
                        """,
                        "5:19", "method: grid cannot use distribution 'uniform'", "values: [..]", "method: random"),
                rejects("distribution without max is rejected", """
                        experiment: mnist
                        method: random
                        run_cap: 3
                        parameters:
                          gating-lambda:
                            distribution: uniform
                            min: 0.01
                        """,
                        "6:5", "parameters.gating-lambda: missing required key 'max'"),
                rejects("unknown distribution suggests the nearest", """
                        experiment: mnist
                        method: random
                        run_cap: 3
                        parameters:
                          gating-lambda:
                            distribution: log_uniform
                            min: 0.01
                            max: 0.2
                        """,
                        "6:19",
                        "expected one of categorical, uniform, log_uniform_values, int_uniform, got 'log_uniform'",
                        "did you mean 'log_uniform_values'?"),
                rejects("uniform on an integer flag asks for int_uniform", """
                        experiment: mnist
                        method: random
                        run_cap: 3
                        parameters:
                          epochs:
                            distribution: uniform
                            min: 1
                            max: 5
                        """,
                        "6:5",
                        "distribution 'uniform' samples real numbers but 'epochs' expects an integer; use int_uniform"),

                // ---- experiment and method ----
                rejects("missing experiment is reported with the choices",
                        "method: grid\n" + PARAMS,
                        "1:1", "missing required key 'experiment'; expected one of cifar10, imagenet, mnist"),
                rejects("misspelt experiment suggests the nearest",
                        "experiment: mnsit\nmethod: grid\n" + PARAMS,
                        "1:13", "experiment: expected one of cifar10, imagenet, mnist, got 'mnsit'",
                        "did you mean 'mnist'?"),
                rejects("missing method is reported",
                        "experiment: mnist\n" + PARAMS,
                        "1:1", "missing required key 'method'; expected grid or random"),
                rejects("bayes method is not supported",
                        "experiment: mnist\nmethod: bayes\n" + PARAMS,
                        "2:9", "method: bayes is not supported", "use method: grid with 'refine: {extra-trials: N}'"),
                rejects("random without run_cap is rejected",
                        "experiment: mnist\nmethod: random\n" + PARAMS,
                        "2:9", "method: random requires 'run_cap'"),
                rejects("run_cap with grid is rejected",
                        "experiment: mnist\nmethod: grid\nrun_cap: 5\n" + PARAMS,
                        "3:1", "run_cap: applies to method: random only"),

                // ---- where a flag may be set; variants, seeds, attempts ----
                rejects("seed as parameter points to seeds list", """
                        experiment: mnist
                        method: grid
                        parameters:
                          seed:
                            values: [0, 1]
                        """,
                        "4:3", "'seed' is not allowed here", "seeds: [..]"),
                rejects("experiment in base belongs at the top level",
                        "experiment: mnist\nmethod: grid\nbase:\n  experiment: cifar10\n" + PARAMS,
                        "4:3", "'experiment' is not allowed here; set 'experiment' once at the top level"),
                rejects("variant that overrides a swept flag is rejected",
                        "experiment: mnist\nmethod: grid\nvariants:\n  big: {gating-lambda: 1.0}\n" + PARAMS,
                        "4:24", "variants.big: 'gating-lambda' is also swept in 'parameters'"),
                rejects("bad variant name is rejected",
                        "experiment: mnist\nmethod: grid\nvariants:\n  'with space': {}\n" + PARAMS,
                        "4:3", "variants: name 'with space' must be 1-64 letters, digits"),
                rejects("duplicate seed is rejected",
                        "experiment: mnist\nmethod: grid\nseeds: [1, 2, 1]\n" + PARAMS,
                        "3:15", "seeds: duplicate seed 1 (first at 3:9)"),
                rejects("negative seed is out of range",
                        "experiment: mnist\nmethod: grid\nseeds: [-1]\n" + PARAMS,
                        "3:9", "seeds: expected an integer >= 0, got -1"),
                rejects("zero max-attempts is out of range",
                        "experiment: mnist\nmethod: grid\nmax-attempts: 0\n" + PARAMS,
                        "3:15", "max-attempts: expected an integer in [1, 100], got 0"),

                // ---- flags that need each other ----
                rejects("prune-only without pruning points at the variant key", """
                        experiment: imagenet
                        method: grid
                        variants:
                          broken: {prune-only: true, include-pruning: false}
                        """ + PARAMS,
                        "4:24", "prune-only: requires include-pruning"),
                rejects("fixed-8bit without prune-only is rejected", """
                        experiment: imagenet
                        method: grid
                        variants:
                          w8a8: {fixed-8bit: true}
                        """ + PARAMS,
                        "4:22", "fixed-8bit/fixed-48bit: only supported together with prune-only"),

                // ---- YAML: anchors and aliases, size and depth, documents, keys, syntax ----
                rejects("anchor without alias is rejected",
                        "experiment: mnist\nmethod: grid\nbase: &defaults\n  epochs: 3\n" + PARAMS,
                        "3:7", "anchor '&defaults' is not allowed"),
                rejects("merge key with alias is rejected", """
                        experiment: mnist
                        method: grid
                        variants:
                          a: &common {epochs: 2}
                          b:
                            <<: *common
                        """,
                        "6:9", "alias '*common' is not allowed"),
                rejects("text over the size limit is rejected unparsed",
                        "experiment: mnist\nmethod: grid\ndescription: '" + "x".repeat(SafeYaml.MAX_CHARS) + "'\n",
                        "1:1", "sweep files are limited to 1048576 (1 MiB)"),
                rejects("nesting over the depth limit is rejected",
                        "experiment: mnist\nmethod: grid\ndescription: " + "[".repeat(5000) + "]".repeat(5000) + "\n",
                        "3:" + (14 + SafeYaml.MAX_DEPTH - 1), "nesting deeper than " + SafeYaml.MAX_DEPTH + " levels"),
                rejects("multiple documents are rejected",
                        "experiment: mnist\nmethod: grid\n" + PARAMS + "---\nexperiment: cifar10\n",
                        "6:1", "multiple YAML documents; a sweep file holds exactly one"),
                rejects("non-string key is rejected",
                        "experiment: mnist\nmethod: grid\n1: one\n" + PARAMS,
                        "3:1", "keys must be strings, got integer '1'"),
                rejects("complex key is rejected",
                        "experiment: mnist\nmethod: grid\n? [a, b]\n: one\n" + PARAMS,
                        "3:3", "keys must be strings, got a list"),
                rejects("duplicate key names both positions",
                        "experiment: mnist\nmethod: grid\nexperiment: cifar10\n" + PARAMS,
                        "3:1", "duplicate key 'experiment' (first at 1:1)"),
                rejects("tab indentation is a syntax error",
                        "experiment: mnist\nmethod: grid\nbase:\n\tepochs: 3\n",
                        "4:1", "invalid YAML"),
                rejects("empty file is rejected",
                        "# only a comment\n",
                        "1:1", "empty file; expected a mapping with at least 'experiment' and 'method'"),
                rejects("top-level list is rejected",
                        "- experiment: mnist\n",
                        "1:1", "the sweep file: expected a mapping (key: value lines), got a list"),

                // ---- environment variables ----
                rejects("unset environment variable is reported",
                        "experiment: mnist\nmethod: grid\ndata-dir: ${NOT_SET_ANYWHERE}/mnist\n" + PARAMS,
                        "3:11", "data-dir: environment variable NOT_SET_ANYWHERE is not set",
                        "${NOT_SET_ANYWHERE:-DEFAULT}"),
                rejects("malformed variable reference is reported",
                        "experiment: mnist\nmethod: grid\ndata-dir: ${DATA_DIR/mnist\n" + PARAMS,
                        "3:11", "data-dir: malformed variable reference", "expected ${NAME} or ${NAME:-default}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFiles")
    void malformedFileIsRejectedWithTheProblemAtItsPosition(String behaviour, String yaml, String lineCol,
            String[] fragments) {
        assertProblem(problems(yaml), lineCol, fragments);
    }

    // ---- cases that assert more than one problem at its position: a second problem, how many there are (one,
    // or four in file order), the exact start of the message, the time taken, a file on disk ----

    @Test
    void unknownKeyInsideParameterSuggestsValues() {
        List<String> p = problems("""
                experiment: mnist
                method: grid
                parameters:
                  gating-lambda:
                    valuse: [0.1]
                """);
        assertProblem(p, "5:5", "unknown key in parameters.gating-lambda 'valuse'", "did you mean 'values'?");
        assertProblem(p, "5:5", "parameters.gating-lambda: expected exactly one of 'value: X' or 'values: [X, Y, ..]'");
    }

    @Test
    void negativeGatingLambdaInBaseIsReportedOnce() {
        List<String> p = problems("""
                experiment: mnist
                method: grid
                base:
                  gating-lambda: -1
                seeds: [0, 1, 2]
                """);
        assertEquals(1, p.size(), String.join("\n", p));
        assertProblem(p, "4:18", "gating-lambda: expected a number >= 0, got -1.0");
    }

    @Test
    void refineWithoutExtraTrialsIsRejected() {
        List<String> p = problems("experiment: mnist\nmethod: grid\nrefine: {extra: 2}\n" + PARAMS);
        assertProblem(p, "3:10", "unknown key in refine 'extra'", "did you mean 'extra-trials'?");
        assertProblem(p, "3:9", "refine: missing required key 'extra-trials'");
    }

    @Test
    void aliasesAreRejectedBeforeExpansion() {
        String laughs = """
                experiment: mnist
                method: grid
                a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
                b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
                d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
                e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
                f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
                g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
                h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
                i: [*h, *h, *h, *h, *h, *h, *h, *h, *h]
                """;
        long start = System.nanoTime();
        List<String> p = problems(laughs);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "the check must not expand the aliases");
        assertProblem(p, "3:4", "anchor '&a' is not allowed", "billion laughs");
        assertProblem(p, "4:8", "alias '*a' is not allowed");
    }

    @Test
    void fileOverTheSizeLimitIsRejectedUnread(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, "# " + "x".repeat((int) SweepParser.MAX_FILE_BYTES) + "\nexperiment: mnist\n");
        SweepFileException e = assertThrows(SweepFileException.class, () -> SweepParser.parse(big, Map.of()));
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith(big + ":1:1: file is "), e.problems().get(0));
        assertTrue(e.problems().get(0).contains("limited to 1048576 bytes (1 MiB)"), e.problems().get(0));
    }

    @Test
    void yamlSyntaxErrorIsReportedWithPosition() {
        List<String> p = problems("experiment: mnist\nmethod: grid\nparameters: [\n");
        assertEquals(1, p.size(), String.join("\n", p));
        assertTrue(p.get(0).startsWith("bad.yaml:4:1: invalid YAML: "), p.get(0));
    }

    @Test
    void everyProblemIsReportedAtOnceInFileOrder() {
        List<String> p = problems("""
                experiment: mnist
                method: grid
                base:
                  epochs: ten
                  gating-lamda: 0.1
                parameters:
                  gating-lambda:
                    values: [0.1, -0.5]
                mx-attempts: 2
                """);
        assertEquals(4, p.size(), String.join("\n", p));
        assertTrue(p.get(0).startsWith("bad.yaml:4:11: epochs"), p.get(0));
        assertTrue(p.get(1).startsWith("bad.yaml:5:3: base: unknown flag"), p.get(1));
        assertTrue(p.get(2).startsWith("bad.yaml:8:19: gating-lambda"), p.get(2));
        assertTrue(p.get(3).startsWith("bad.yaml:9:1: unknown top-level key"), p.get(3));
    }

    @Test
    void aChoiceOutsideTheFlagTableGetsTheSameMessageAsOnTheCommandLine() {
        List<String> p = problems("""
                experiment: mnist
                method: grid
                base:
                  reg-type: bops
                  optimizer: Adam
                """);
        assertEquals(1, p.size(), String.join("\n", p)); // Adam is fine: choices are case-insensitive everywhere
        assertProblem(p, "4:13", "reg-type: expected one of bop, const, bop-exact, got 'bops'");
    }
}
