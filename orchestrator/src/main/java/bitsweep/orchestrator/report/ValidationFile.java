package bitsweep.orchestrator.report;

import bitsweep.export.ValidationResult;
import bitsweep.io.AtomicFiles;
import bitsweep.io.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code validation.json}: one {@link ValidationResult} per exported frontier model, under
 * {@code models}, with pass/mismatch/error counts for a quick look.
 */
public final class ValidationFile {

    public static final String FILE_NAME = "validation.json";

    private ValidationFile() {
    }

    public static void write(Path dir, String sweep, List<ValidationResult> results) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("sweep", sweep);
        doc.put("models", results.size());
        doc.put("pass", count(results, ValidationResult.PASS));
        doc.put("mismatch", count(results, ValidationResult.MISMATCH));
        doc.put("error", count(results, ValidationResult.ERROR));
        doc.put("results", results);
        AtomicFiles.writeBytes(dir.resolve(FILE_NAME), Json.PRETTY.writeValueAsBytes(doc));
    }

    /** The results of an earlier run (for {@code --no-export}); empty when there is no file. */
    public static List<ValidationResult> readIfPresent(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            JsonNode results = Json.MAPPER.readTree(file.toFile()).get("results");
            if (results == null || !results.isArray()) {
                throw new IOException(file + ": expected an object with a \"results\" array of validation results");
            }
            return Json.MAPPER.convertValue(results, new TypeReference<List<ValidationResult>>() { });
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException(file + ": not a validation file: " + e.getMessage(), e);
        }
    }

    private static long count(List<ValidationResult> results, String status) {
        return results.stream().filter(r -> status.equals(r.status())).count();
    }
}
