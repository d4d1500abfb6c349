package bitsweep.sweep;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads a sweep YAML file; every problem is reported as file:line:column with the expected form. */
public final class SweepParser {
    /** Files above this size are refused unread (the same 1 MiB limit applies to the text). */
    public static final long MAX_FILE_BYTES = SafeYaml.MAX_CHARS;

    private SweepParser() {
    }

    /** Parses, validates and expands a sweep file, reading {@code ${VAR}} from the process environment. */
    public static Sweep parse(Path file) throws IOException, SweepFileException {
        return parse(file, System.getenv());
    }

    /** As {@link #parse(Path)}, with {@code ${VAR}} taken from {@code env}. */
    public static Sweep parse(Path file, Map<String, String> env) throws IOException, SweepFileException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new SweepFileException(List.of(file + ":1:1: file is " + size + " bytes; sweep files are limited "
                    + "to " + MAX_FILE_BYTES + " bytes (1 MiB)"));
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new SweepFileException(List.of(file + ":1:1: not UTF-8 text; sweep files are UTF-8 YAML"));
        }
        return parse(text, file, env);
    }

    /** Parses sweep text that claims to come from {@code file} (used in messages and as the default name). */
    public static Sweep parse(String text, Path file, Map<String, String> env) throws SweepFileException {
        Problems problems = new Problems(file.toString());
        Optional<Node> root = SafeYaml.read(text, file.toString(), problems);
        if (root.isEmpty()) {
            if (problems.isEmpty()) {
                problems.add(Pos.START, "empty document; expected a mapping with at least 'experiment' and 'method'");
            }
            problems.throwIfAny();
        }
        Optional<SweepDefinition> def = new SweepReader(problems, new EnvExpander(env))
                .read(root.get(), defaultName(file));
        // Expand even when reading found problems: out-of-range values (checked by resolved()) are
        // then reported in the same run instead of after the user fixed the first batch.
        List<TrialSpec> trials = def.map(d -> SweepExpander.expand(d, problems)).orElse(List.of());
        problems.throwIfAny();
        SweepDefinition d = def.get();
        return new Sweep(d.name(), file, d.experiment(), List.copyOf(trials), d.maxAttempts(), d.refineExtraTrials(),
                d.stallTimeout(), d.maxTrialTime(), d.metric());
    }

    private static String defaultName(Path file) {
        Path fileName = file.getFileName();
        String name = fileName == null ? "sweep" : fileName.toString();
        return name.replaceFirst("\\.ya?ml$", "");
    }
}
