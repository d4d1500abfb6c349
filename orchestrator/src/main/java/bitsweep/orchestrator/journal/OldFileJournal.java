package bitsweep.orchestrator.journal;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Results folders written before the JDBC journal keep their events in {@code journal/events.journal}
 * (BitSweep's own file journal, removed). Starting on such a folder would ignore that history and run every
 * trial again, so it is refused with what to do instead.
 */
public final class OldFileJournal {
    public static final String FILE = "journal/events.journal";

    private OldFileJournal() {
    }

    public static void refuseIfPresent(Path resultsDir) {
        Path file = resultsDir.resolve(FILE);
        if (Files.exists(file)) {
            throw new IllegalStateException(file + ": this results folder was written by an older BitSweep (file "
                    + "journal); finish it with that version, or start over with --fresh (deletes the folder), or "
                    + "use another --results folder");
        }
    }
}
