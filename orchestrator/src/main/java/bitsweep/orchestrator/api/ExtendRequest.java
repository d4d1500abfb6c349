package bitsweep.orchestrator.api;

import bitsweep.io.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The body of {@code POST /api/sweep/extend}: {@code {"mu": [0.5, 1.0], "seeds": [3]}} (either may be
 * left out). The supervisor checks the values' ranges; this checks the document's shape.
 */
record ExtendRequest(List<Double> mus, List<Long> seeds) {
    static final int MAX_ITEMS = 64;

    /** @throws IllegalArgumentException with a message fit for a 400 answer */
    static ExtendRequest parse(String body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object like {\"mu\": [0.5], \"seeds\": [3]}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("mu") && !f.equals("seeds")) {
                throw new IllegalArgumentException("unknown field '" + f + "': expected only 'mu' and 'seeds'");
            }
        }
        List<Double> mus = new ArrayList<>();
        for (JsonNode n : array(root, "mu")) {
            if (!n.isNumber() || !Double.isFinite(n.doubleValue()) || n.doubleValue() < 0) {
                throw new IllegalArgumentException("mu: expected finite numbers >= 0, got " + n);
            }
            mus.add(n.doubleValue());
        }
        List<Long> seeds = new ArrayList<>();
        for (JsonNode n : array(root, "seeds")) {
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
                throw new IllegalArgumentException("seeds: expected integers >= 0, got " + n);
            }
            seeds.add(n.longValue());
        }
        if (mus.isEmpty() && seeds.isEmpty()) {
            throw new IllegalArgumentException("nothing to add: give \"mu\" and/or \"seeds\" as non-empty arrays");
        }
        return new ExtendRequest(List.copyOf(mus), List.copyOf(seeds));
    }

    private static Iterable<JsonNode> array(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(field + ": expected an array, got " + n.getNodeType().toString()
                    .toLowerCase(java.util.Locale.ROOT));
        }
        if (n.size() > MAX_ITEMS) {
            throw new IllegalArgumentException(field + ": at most " + MAX_ITEMS + " values, got " + n.size());
        }
        return n;
    }
}
