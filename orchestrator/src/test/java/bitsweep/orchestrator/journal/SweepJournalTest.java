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

    @Test
    void closingCompactsTheEmbeddedJournalToWhatIsLiveKeepingEveryRow() throws Exception {
        Path results = tmp.resolve("compact");
        JournalStore.Embedded store = new JournalStore.Embedded(results);
        byte[] payload = new byte[1 << 20];
        new java.util.Random(1).nextBytes(payload);
        try (SweepJournal journal = SweepJournal.open(store, "bitsweep-sweep|compact", results, false)) {
            // what a long sweep leaves behind: snapshots written and replaced many times, two kept. H2's own
            // close compacts for at most 200 ms, which is enough for this small file but not for a real one
            // (the 100,000-trial benchmark journal: 1.7 GB after a normal close, 41 MB compacted); turned off
            // here so that the small file stands for the big one.
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(store.jdbcUrl() + ";MAX_COMPACT_TIME=0",
                    "", "")) {
                for (int i = 0; i < 40; i++) {
                    try (var insert = c.prepareStatement("INSERT INTO \"snapshot\" (\"persistence_id\", "
                            + "\"sequence_number\", \"created\", \"snapshot_ser_id\", \"snapshot_ser_manifest\", "
                            + "\"snapshot_payload\") VALUES ('p', ?, 0, 1, '', ?)")) {
                        insert.setLong(1, i);
                        insert.setBytes(2, payload);
                        insert.executeUpdate();
                    }
                    try (var delete = c.prepareStatement("DELETE FROM \"snapshot\" WHERE \"sequence_number\" < ?")) {
                        delete.setLong(1, i - 1);
                        delete.executeUpdate();
                    }
                }
            }
        }
        long size = Files.size(store.databaseFile());
        assertTrue(size < 8L << 20, "two 1 MiB snapshots live after 40 written: the file holds " + size + " bytes");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(store.jdbcUrl(), "", "");
             var count = c.createStatement().executeQuery("SELECT COUNT(*) FROM \"snapshot\"")) {
            count.next();
            assertEquals(2, count.getInt(1), "the kept snapshots are still there");
        }
    }
}
