package bitsweep.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Each variant writes exactly what the ad-hoc mapper it replaced wrote (the "legacy" mappers below are
 * those configurations, verbatim), so no file format changed when they were merged into {@link Json}.
 */
class JsonTest {
    record Sample(String name, Double missing, double x, List<Integer> xs, Map<String, Object> m) {
    }

    record Small(String name) {
    }

    /** No properties: Jackson's default would refuse to write it. */
    static final class Empty {
    }

    private static Sample sample() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zeta", 1.5e-5);
        m.put("alpha", null);
        m.put("nested", new LinkedHashMap<>(Map.of("k", List.of(true, false))));
        return new Sample("mu0.05-pruning-s0-b33839b108", null, 6.0, List.of(4, 8, 16, 32), m);
    }

    @Test
    void mapperWritesWhatJacksonsDefaultsWrite() throws Exception {
        assertEquals(new ObjectMapper().writeValueAsString(sample()), Json.MAPPER.writeValueAsString(sample()));
    }

    @Test
    void prettyIndentsLikeTheDefaultPrettyPrinter() throws Exception {
        String legacyFlag = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(sample());
        String legacyWriter = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(sample());
        assertEquals(legacyFlag, Json.PRETTY.writeValueAsString(sample()));
        assertEquals(legacyWriter, Json.PRETTY.writeValueAsString(sample()));
    }

    @Test
    void prettyNonNullLeavesOutNullsAsResultFilesAlwaysDid() throws Exception {
        ObjectMapper legacy = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
        String json = Json.PRETTY_NON_NULL.writeValueAsString(sample());
        assertEquals(legacy.writeValueAsString(sample()), json);
        assertFalse(json.contains("missing"), json);
    }

    @Test
    void compactNonNullWriterMatchesTheBenchCommandsOldCopy() throws Exception {
        ObjectMapper legacy = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL).copy()
                .disable(SerializationFeature.INDENT_OUTPUT);
        assertEquals(legacy.writeValueAsString(sample()),
                Json.PRETTY_NON_NULL.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(sample()));
    }

    @Test
    void canonicalSortsMapKeysWhateverMapTheCallerBuilt() throws Exception {
        Map<String, Object> linked = new LinkedHashMap<>();
        linked.put("variant", "pruning");
        linked.put("config", Map.of("seed", 0));
        assertEquals("{\"config\":{\"seed\":0},\"variant\":\"pruning\"}", Json.CANONICAL.writeValueAsString(linked));
        // sorted input (what TrialIds builds) comes out exactly as the plain mapper wrote it
        assertEquals(new ObjectMapper().writeValueAsString(new TreeMap<>(linked)),
                Json.CANONICAL.writeValueAsString(linked));
    }

    @Test
    void tolerantReaderSkipsFieldsANewerVersionAdded() throws Exception {
        String newer = "{\"name\":\"a\",\"addedLater\":3}";
        assertEquals(new Small("a"), Json.TOLERANT_READER.forType(Small.class).readValue(newer));
        ObjectMapper legacy = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        assertEquals(legacy.readValue(newer, Small.class), Json.TOLERANT_READER.forType(Small.class).readValue(newer));
    }

    @Test
    void strictMappersStillRejectUnknownFields() {
        assertThrows(UnrecognizedPropertyException.class,
                () -> Json.MAPPER.readValue("{\"name\":\"a\",\"typo\":1}", Small.class));
    }

    @Test
    void aValueWithoutPropertiesIsWrittenAsAnEmptyObjectAsPekkoDoes() throws Exception {
        assertEquals("{\"e\":{}}", Json.MAPPER.writeValueAsString(Map.of("e", new Empty())));
    }
}
