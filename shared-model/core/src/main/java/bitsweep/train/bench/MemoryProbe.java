package bitsweep.train.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of this process from {@code /proc/self/status} (Linux); -1 where unavailable. */
public final class MemoryProbe {
    private MemoryProbe() {
    }

    /** Current RSS in MiB ({@code VmRSS}). */
    public static double rssMiB() {
        return field("VmRSS:");
    }

    /** Peak RSS in MiB ({@code VmHWM}). */
    public static double peakRssMiB() {
        return field("VmHWM:");
    }

    /**
     * Resets the peak ({@code VmHWM}) to the current RSS by writing 5 to {@code /proc/self/clear_refs}
     * (Linux ≥ 4.0), so that a later {@link #peakRssMiB} is the peak since this call.
     *
     * @return false where that is not possible (then the peak stays process-wide)
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
