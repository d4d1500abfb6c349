package bitsweep.worker.process;

import bitsweep.worker.DeviceProcessMain;
import java.util.Map;

/** Reads a device process's exit code the way a person wants it in the node's log. */
public final class ExitStatus {
    /**
     * Exit code of a device process that halted itself because something in it hung that only a fresh process
     * cures ({@link DeviceProcessMain#haltHungProcess(String)}): a trial's training thread past its grace period,
     * or its actor system not terminating after it was downed; 75 is EX_TEMPFAIL in sysexits.h.
     */
    public static final int HUNG_TRIAL = 75;

    private static final Map<Integer, String> SIGNALS = Map.ofEntries(Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"),
            Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"), Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"),
            Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"), Map.entry(11, "SIGSEGV"), Map.entry(13, "SIGPIPE"),
            Map.entry(15, "SIGTERM"));

    private ExitStatus() {
    }

    /**
     * {@code Process.exitValue()} on Linux is the exit status, or 128 + the signal number for a process
     * killed by a signal; a JVM that ran its shutdown hooks after SIGTERM also exits with 143, and one that
     * crashed in native code (hs_err file) aborts with SIGABRT (134).
     */
    public static String describe(int code) {
        if (code == HUNG_TRIAL) {
            return "exit code 75: restarted after it hung (a trial, or its termination; see its log)";
        }
        if (code > 128 && code <= 128 + 64) {
            int signal = code - 128;
            String name = SIGNALS.getOrDefault(signal, "signal " + signal);
            return "killed by " + name + " (exit code " + code + ")";
        }
        return "exit code " + code;
    }
}
