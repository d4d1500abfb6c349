package bitsweep.sweep;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Turns sweep-file text into a YAML node tree (which keeps line/column marks) only after an event
 * pass has shown it is safe: no anchors or aliases (the "billion laughs" expansion needs them), one
 * document, bounded nesting and size. The event pass never expands anything, so a hostile file
 * costs at most one linear scan.
 */
final class SafeYaml {
    /** Sweep files are hand-written; 1 MiB is far above any real one. */
    static final int MAX_CHARS = 1 << 20;
    /** A sweep file nests at most four collections deep (parameters → axis → values). */
    static final int MAX_DEPTH = 10;

    private SafeYaml() {
    }

    static Optional<Node> read(String text, String label, Problems problems) {
        if (text.length() > MAX_CHARS) {
            problems.add(Pos.START, "document is " + text.length() + " characters; sweep files are limited to "
                    + MAX_CHARS + " (1 MiB)");
            return Optional.empty();
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(label)
                .setSchema(new CoreSchema())
                .setCodePointLimit(MAX_CHARS + 1)
                .setMaxAliasesForCollections(0)
                .setAllowRecursiveKeys(false)
                .build();
        if (!checkEvents(text, settings, problems)) {
            return Optional.empty();
        }
        try {
            return new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            problems.add(Pos.of(e.getProblemMark()), "invalid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            problems.add(Pos.START, "invalid YAML: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Returns true when the text is well-formed and safe to compose. */
    private static boolean checkEvents(String text, LoadSettings settings, Problems problems) {
        boolean safe = true;
        int depth = 0;
        int documents = 0;
        Set<String> reportedAliases = new HashSet<>();
        try {
            for (Event event : new Parse(settings).parseString(text)) {
                Pos pos = Pos.of(event.getStartMark());
                switch (event.getEventId()) {
                    case DocumentStart -> {
                        documents++;
                        if (documents == 2) {
                            problems.add(pos, "multiple YAML documents; a sweep file holds exactly one "
                                    + "(remove the '---' separator and what follows)");
                            safe = false;
                        }
                    }
                    case MappingStart, SequenceStart -> {
                        depth++;
                        if (depth == MAX_DEPTH + 1) {
                            problems.add(pos, "nesting deeper than " + MAX_DEPTH + " levels; a sweep file "
                                    + "needs at most 4 (parameters → name → values → list)");
                            return false;
                        }
                    }
                    case MappingEnd, SequenceEnd -> depth--;
                    case Alias -> {
                        String alias = ((AliasEvent) event).getAlias().getValue();
                        safe = false;
                        if (!reportedAliases.add(alias)) {
                            continue; // one line per alias name; a bomb repeats each name many times
                        }
                        problems.add(pos, "alias '*" + alias
                                + "' is not allowed: sweep files may not use anchors or aliases (they allow "
                                + "'billion laughs' expansion); write the values out");
                    }
                    default -> {
                    }
                }
                if (event instanceof NodeEvent ne && !(event instanceof AliasEvent) && ne.getAnchor().isPresent()) {
                    problems.add(pos, "anchor '&" + ne.getAnchor().get().getValue() + "' is not allowed: sweep files may not "
                            + "use anchors or aliases (they allow 'billion laughs' expansion); write the values out");
                    safe = false;
                }
            }
        } catch (MarkedYamlEngineException e) {
            problems.add(Pos.of(e.getProblemMark()), "invalid YAML: " + e.getProblem());
            return false;
        } catch (YamlEngineException e) {
            problems.add(Pos.START, "invalid YAML: " + e.getMessage());
            return false;
        }
        if (documents == 0) {
            problems.add(Pos.START, "empty file; expected a mapping with at least 'experiment' and 'method'");
            return false;
        }
        return safe;
    }
}
