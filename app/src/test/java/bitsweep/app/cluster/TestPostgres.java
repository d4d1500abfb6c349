package bitsweep.app.cluster;

import bitsweep.orchestrator.journal.JournalStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server of the tests, as {@code scripts/postgres.sh} prints it ({@code BITSWEEP_TEST_PG_URL},
 * {@code _USER}, {@code _PASSWORD}, {@code _STOP}, {@code _START}). Without it a test fails on CI
 * ({@code CI=true}) and is skipped elsewhere with what to run.
 */
record TestPostgres(String url, String user, String password, String stopCommand, String startCommand) {

    static TestPostgres require() {
        String url = System.getenv("BITSWEEP_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            String why = "no PostgreSQL for the tests: BITSWEEP_TEST_PG_URL is not set "
                    + "(run: eval \"$(sudo ./scripts/postgres.sh)\")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why + "; CI must run every PostgreSQL test");
            }
            Assumptions.abort(why);
        }
        return new TestPostgres(url, System.getenv("BITSWEEP_TEST_PG_USER"),
                System.getenv("BITSWEEP_TEST_PG_PASSWORD"), System.getenv("BITSWEEP_TEST_PG_STOP"),
                System.getenv("BITSWEEP_TEST_PG_START"));
    }

    /** What an orchestrator process needs in its environment to use this server. */
    Map<String, String> orchestratorEnv() {
        return Map.of(JournalStore.USER_VARIABLE, user, JournalStore.PASSWORD_VARIABLE, password);
    }

    void stop() throws IOException, InterruptedException {
        run(stopCommand, "BITSWEEP_TEST_PG_STOP");
    }

    void start() throws IOException, InterruptedException {
        run(startCommand, "BITSWEEP_TEST_PG_START");
    }

    private static void run(String command, String variable) throws IOException, InterruptedException {
        Assertions.assertNotNull(command, variable + " is not set (scripts/postgres.sh prints it)");
        Process p = new ProcessBuilder(List.of("bash", "-c", command)).inheritIO().start();
        Assertions.assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " did not finish");
        Assertions.assertEquals(0, p.exitValue(), command);
    }
}
