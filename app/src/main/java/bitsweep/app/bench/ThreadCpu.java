package bitsweep.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads grouped by name (digits folded), from Linux's {@code /proc/self/task};
 * it shows how much of the supervisor JVM's CPU went to JIT compilation, GC, the journal's database
 * threads, Artery or the actors. Threads that already ended are missing (their time is still in the
 * process total). Empty where {@code /proc} is not there.
 */
final class ThreadCpu {
    private ThreadCpu() {
    }

    /** Milliseconds of CPU (user + system) per thread group, largest first. */
    static Map<String, Long> byGroup() {
        Map<String, Long> sums = new TreeMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return Map.of();
        }
        long ticksPerSecond = 100; // USER_HZ on Linux
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) list::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    // "pid (comm) state ..."; comm may hold spaces and parentheses: cut at the last ')'
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
                    sums.merge(group(name), ticks * 1000 / ticksPerSecond, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        Map<String, Long> out = new LinkedHashMap<>();
        sums.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** CPU of the JIT compiler threads ("C2 CompilerThread0", "C1 …": grouped as "CN CompilerThre"). */
    static long jitMillis(Map<String, Long> groups) {
        return groups.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Linux keeps 15 characters of a thread's name: fold numbers so pools add up. */
    static String group(String name) {
        return name.replaceAll("[0-9]+", "N");
    }
}
