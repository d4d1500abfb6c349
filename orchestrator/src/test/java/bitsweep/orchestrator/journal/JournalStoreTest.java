package bitsweep.orchestrator.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalStoreTest {
    private static final Path RESULTS = Path.of("results", "s");
    private static final Map<String, String> CREDENTIALS = Map.of(JournalStore.USER_VARIABLE, "sweeper",
            JournalStore.PASSWORD_VARIABLE, "s3cret");

    @Test
    void noOptionOrEmbeddedMeansH2InTheResultsFolder() {
        assertEquals(new JournalStore.Embedded(RESULTS), JournalStore.parse(null, RESULTS, Map.of()));
        JournalStore.Embedded e = (JournalStore.Embedded) JournalStore.parse("embedded", RESULTS, Map.of());
        assertEquals(RESULTS.resolve("journal/bitsweep.mv.db"), e.databaseFile());
    }

    @Test
    void postgresqlUrlWithCredentialsFromTheEnvironment() {
        JournalStore.Postgres pg = assertInstanceOf(JournalStore.Postgres.class,
                JournalStore.parse("postgresql://db.internal:5433/sweeps", RESULTS, CREDENTIALS));
        assertEquals("jdbc:postgresql://db.internal:5433/sweeps", pg.jdbcUrl());
        assertEquals("sweeper", pg.user());
        assertEquals("s3cret", pg.password());
        assertEquals(5432, ((JournalStore.Postgres) JournalStore.parse("postgresql://db/sweeps", RESULTS,
                CREDENTIALS)).port());
    }

    @Test
    void missingCredentialsNameBothVariables() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JournalStore.parse("postgresql://db:5432/sweeps", RESULTS, Map.of()));
        assertTrue(e.getMessage().contains("BITSWEEP_JOURNAL_USER") && e.getMessage().contains(
                "BITSWEEP_JOURNAL_PASSWORD"), e.getMessage());
    }

    @Test
    void malformedOrCredentialCarryingUrlsAreRejected() {
        for (String bad : new String[] {"mysql://db/x", "postgresql://db:5432/", "postgresql://u:p@db/x",
                "postgresql://db/x?password=p", "db:5432/x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> JournalStore.parse(bad, RESULTS, CREDENTIALS), bad);
            assertTrue(e.getMessage().contains("postgresql://HOST:PORT/DATABASE"), e.getMessage());
        }
    }

    @Test
    void thePasswordNeverAppearsInDescriptionsOrToString() {
        JournalStore pg = JournalStore.parse("postgresql://db:5432/sweeps", RESULTS, CREDENTIALS);
        assertFalse(pg.describe().contains("s3cret"));
        assertFalse(pg.toString().contains("s3cret"));
    }
}
