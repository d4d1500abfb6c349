package bitsweep.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExitStatusTest {
    @Test
    void exitCodesAreReadAsSignalsOrTheHungTrialHalt() {
        assertEquals("killed by SIGKILL (exit code 137)", ExitStatus.describe(137));
        assertEquals("killed by SIGTERM (exit code 143)", ExitStatus.describe(143));
        assertEquals("killed by SIGABRT (exit code 134)", ExitStatus.describe(134));
        assertEquals("killed by SIGSEGV (exit code 139)", ExitStatus.describe(139));
        assertEquals("exit code 75: restarted after it hung (a trial, or its termination; see its log)",
                ExitStatus.describe(75));
        assertEquals("exit code 1", ExitStatus.describe(1));
    }
}
