package bitsweep.orchestrator.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a results folder: the old file journal is refused with what to do, {@code --fresh} starts it over,
 * and a folder that is open is locked (the inter-process case is in the app module's multi-JVM tests).
 */
class SweepJournalTest {
    @TempDir
    Path tmp;

    /** A results folder written by BitSweep's FileJournal before it was removed (src/test/resources). */
    private Path oldResultsFolder() throws IOException {
        Path dir = tmp.resolve("old");
        for (String f : new String[] {"journal/events.journal", "trials.jsonl"}) {
            Files.createDirectories(dir.resolve(f).getParent());
            try (InputStream in = getClass().getResourceAsStream("/legacy-file-journal/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        return dir;
    }

    private static SweepJournal open(Path results, boolean fresh) throws IOException {
        return SweepJournal.open(new JournalStore.Embedded(results), "bitsweep-sweep|torn", results, fresh);
    }

    @Test
    void aFolderOfTheOldFileJournalIsRefusedNamingTheFileAndWhatToDo() throws IOException {
        Path old = oldResultsFolder();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(old, false));
        assertTrue(e.getMessage().contains(old.resolve("journal/events.journal").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("written by an older BitSweep (file journal)"), e.getMessage());
        assertTrue(e.getMessage().contains("--fresh"), e.getMessage());
        assertTrue(Files.exists(old.resolve("journal/events.journal")), "nothing deleted");
        // refused without keeping the folder locked
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> open(old, false));
        assertFalse(again instanceof SweepLockedException, again.getMessage());
    }

    @Test
    void freshStartsAnOldFolderOverKeepingOnlyTheLockFile() throws IOException {
        Path old = oldResultsFolder();
        try (SweepJournal journal = open(old, true)) {
            assertFalse(Files.exists(old.resolve("journal/events.journal")));
            assertFalse(Files.exists(old.resolve("trials.jsonl")));
            assertTrue(Files.exists(old.resolve(FolderLock.FILE)));
        }
    }

    @Test
    void anOpenFolderIsLockedUntilClosed() throws IOException {
        Path results = tmp.resolve("results");
        try (SweepJournal journal = open(results, false)) {
            SweepLockedException e = assertThrows(SweepLockedException.class, () -> open(results, false));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertThrows(SweepLockedException.class, () -> open(results, true));
        }
        open(results, false).close();
        assertEquals(1, Files.list(results).filter(p -> p.getFileName().toString().equals(FolderLock.FILE)).count());
    }

    @Test
    void aStandbyNeedsTheJournalInPostgresqlAndNeverStartsASweepOver() {
        Path results = tmp.resolve("standby");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepJournal.open(
                new JournalStore.Embedded(results), "bitsweep-sweep|s", results, false, true));
        assertTrue(e.getMessage().contains("--standby needs the journal in PostgreSQL"), e.getMessage());
        JournalStore.Postgres pg = new JournalStore.Postgres("127.0.0.1", 1, "db", "u", "p");
        IllegalArgumentException fresh = assertThrows(IllegalArgumentException.class, () -> SweepJournal.open(
                pg, "bitsweep-sweep|s", results, true, true));
        assertTrue(fresh.getMessage().contains("--standby and --fresh exclude each other"), fresh.getMessage());
        assertFalse(Files.exists(results), "nothing created");
    }
}
