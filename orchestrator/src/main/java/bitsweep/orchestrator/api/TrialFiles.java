package bitsweep.orchestrator.api;

import bitsweep.io.Json;
import bitsweep.io.SafeNames;
import bitsweep.orchestrator.report.ModelFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A trial's files as the API serves them from the results folder. Trial ids are checked as single safe
 * names ({@link SafeNames}) and every path is resolved under the results folder and checked to stay there
 * (no {@code ..}, no symbolic link out of it), so a request can only ever read what is meant.
 */
final class TrialFiles {
    /** A log file is read from its last this-many bytes only: logs of long sweeps grow large. */
    static final long LOG_TAIL_BYTES = 8L << 20;
    static final int MAX_LOG_LINES = 2000;
    static final long MAX_RESULT_BYTES = 64L << 20;

    private final Path results;

    TrialFiles(Path results) {
        this.results = results.toAbsolutePath().normalize();
    }

    /** The trial's ONNX model ({@code models/<id>.onnx}, written when the sweep ends) if it exists. */
    Optional<Path> model(String trialId) {
        if (!SafeNames.isSafe(trialId)) {
            return Optional.empty();
        }
        Path p = inside(ModelFiles.relativePath(trialId));
        return p != null && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Optional.of(p) : Optional.empty();
    }

    /** The final bit table from the trial's {@code result.json}, if it has one (read up to 64 MiB). */
    Optional<com.fasterxml.jackson.databind.JsonNode> finalBits(String trialId) throws IOException {
        SafeNames.require("trial id", trialId);
        Path p = inside("trials/" + trialId + "/result.json");
        if (p == null || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.size(p) > MAX_RESULT_BYTES) {
            return Optional.empty();
        }
        var bits = Json.MAPPER.readTree(p.toFile()).get("bitTable");
        return bits == null || !bits.isArray() ? Optional.empty() : Optional.of(bits);
    }

    /**
     * The log lines that name the trial, from every process's log in {@code logs/} (the orchestrator's
     * and each device process's), the latest {@link #MAX_LOG_LINES}.
     */
    String log(String trialId) throws IOException {
        SafeNames.require("trial id", trialId);
        Path dir = inside("logs");
        if (dir == null || !Files.isDirectory(dir)) {
            return "";
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        Deque<String> lines = new ArrayDeque<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            for (String line : tail(f)) {
                if (line.contains(trialId)) {
                    lines.addLast(name + ": " + line);
                    if (lines.size() > MAX_LOG_LINES) {
                        lines.removeFirst();
                    }
                }
            }
        }
        return String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
    }

    private static List<String> tail(Path f) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            long len = raf.length();
            long start = Math.max(0, len - LOG_TAIL_BYTES);
            byte[] buf = new byte[(int) (len - start)];
            raf.seek(start);
            raf.readFully(buf);
            List<String> out = new ArrayList<>(new String(buf, StandardCharsets.UTF_8).lines().toList());
            if (start > 0 && !out.isEmpty()) {
                out.remove(0); // cut in the middle
            }
            return out;
        }
    }

    /** {@code relative} under the results folder, or null when it would leave it. */
    Path inside(String relative) {
        Path p = results.resolve(relative).normalize();
        if (!p.startsWith(results)) {
            return null;
        }
        try {
            if (Files.exists(p) && !p.toRealPath().startsWith(results.toRealPath())) {
                return null; // a symbolic link pointing out of the results folder
            }
        } catch (IOException e) {
            return null;
        }
        return p;
    }
}
