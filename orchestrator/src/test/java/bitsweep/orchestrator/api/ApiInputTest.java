package bitsweep.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the API accepts from the network and the command line: binds, tokens, bodies, file names. */
class ApiInputTest {
    private static final String TOKEN = "0123456789abcdef0123";

    @TempDir
    Path tmp;

    @Test
    void loopbackNeedsNoTokenButEveryOtherBindRefusesToStartWithoutOne() {
        assertNull(ApiBinding.parse("127.0.0.1:8080", Map.of()).token());
        assertNull(ApiBinding.parse("localhost:0", Map.of()).token());
        var e = assertThrows(IllegalArgumentException.class, () -> ApiBinding.parse("0.0.0.0:8080", Map.of()));
        assertTrue(e.getMessage().startsWith("--http 0.0.0.0:8080 is reachable from other machines"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ApiBinding.parse("0.0.0.0:8080",
                Map.of(ApiBinding.TOKEN_VARIABLE, "tooshort"))).getMessage().contains("shorter than 16"));
        assertEquals(TOKEN, ApiBinding.parse("0.0.0.0:8080", Map.of(ApiBinding.TOKEN_VARIABLE, TOKEN)).token());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ApiBinding.parse("8080", Map.of()))
                .getMessage().startsWith("--http: expected HOST:PORT"));
        assertFalse(ApiBinding.parse("0.0.0.0:1", Map.of(ApiBinding.TOKEN_VARIABLE, TOKEN)).toString().contains(TOKEN),
                "the token never shows in logs");
    }

    @Test
    void onlyTheExactBearerTokenIsAccepted() {
        assertTrue(BearerAuth.matches("Bearer " + TOKEN, TOKEN));
        assertTrue(BearerAuth.matches("bearer " + TOKEN, TOKEN), "the scheme is case-insensitive (RFC 7235)");
        assertFalse(BearerAuth.matches(null, TOKEN));
        assertFalse(BearerAuth.matches("", TOKEN));
        assertFalse(BearerAuth.matches(TOKEN, TOKEN));
        assertFalse(BearerAuth.matches("Basic " + TOKEN, TOKEN));
        assertFalse(BearerAuth.matches("Bearer " + TOKEN + "x", TOKEN));
        assertFalse(BearerAuth.matches("Bearer " + TOKEN.substring(1), TOKEN));
    }

    @Test
    void extendBodiesAreCheckedWithMessagesNamingTheField() {
        assertEquals(new ExtendRequest(List.of(0.5, 1.0), List.of(3L)),
                ExtendRequest.parse("{\"mu\": [0.5, 1], \"seeds\": [3]}"));
        assertEquals(List.of(), ExtendRequest.parse("{\"seeds\": [3], \"mu\": null}").mus());
        for (var c : Map.of(
                "[1]", "expected a JSON object",
                "{\"mu\": [1e400]}", "mu: expected finite numbers >= 0",
                "{\"mu\": [true]}", "mu: expected finite numbers >= 0",
                "{\"seeds\": [-1]}", "seeds: expected integers >= 0",
                "{\"seeds\": 3}", "seeds: expected an array, got number",
                "{\"mu\": [1], \"x\": 1}", "unknown field 'x'",
                "{\"mu\": []}", "nothing to add").entrySet()) {
            var e = assertThrows(IllegalArgumentException.class, () -> ExtendRequest.parse(c.getKey()), c.getKey());
            assertTrue(e.getMessage().contains(c.getValue()), c.getKey() + " -> " + e.getMessage());
        }
        String many = "{\"mu\": [" + "1,".repeat(ExtendRequest.MAX_ITEMS) + "1]}";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExtendRequest.parse(many)).getMessage()
                .contains("at most 64 values"));
    }

    @Test
    void trialFilesNeverLeaveTheResultsFolder() throws Exception {
        Path results = Files.createDirectories(tmp.resolve("results"));
        TrialFiles files = new TrialFiles(results);
        Files.createDirectories(results.resolve("models"));
        Files.writeString(results.resolve("models/t1.onnx"), "model");
        assertEquals(results.resolve("models/t1.onnx"), files.model("t1").orElseThrow());
        assertTrue(files.model("../models/t1").isEmpty());
        assertTrue(files.model("t2").isEmpty());
        assertNull(files.inside("../outside"));
        Path secret = Files.writeString(tmp.resolve("secret"), "x");
        Files.createSymbolicLink(results.resolve("models/t3.onnx"), secret);
        assertTrue(files.model("t3").isEmpty(), "a link out of the results folder is not served");
        assertThrows(IllegalArgumentException.class, () -> files.log("../../etc/passwd"));

        Files.createDirectories(results.resolve("logs"));
        Files.writeString(results.resolve("logs/run.log"), "a t1 started\nb t2 started\nc t1 done\n");
        Files.writeString(results.resolve("logs/worker-0.log"), "d t1 epoch 1\n");
        Files.writeString(results.resolve("logs/notes.txt"), "e t1 not a log\n");
        assertEquals("run.log: a t1 started\nrun.log: c t1 done\nworker-0.log: d t1 epoch 1\n", files.log("t1"));
        assertEquals("", files.log("t9"));
    }

    @Test
    void aTokenlessApiAnswersOnlyLoopbackHostNames() {
        for (String ok : List.of("127.0.0.1:8080", "localhost", "LOCALHOST:1", "[::1]:8080", "127.0.0.2")) {
            assertTrue(TokenlessHosts.allowed(ok), ok);
        }
        for (String bad : List.of("", "attacker.example", "attacker.example:8080", "10.0.0.5:8080", "[::2]:80",
                "localhost.attacker.example")) {
            assertFalse(TokenlessHosts.allowed(bad), bad);
        }
    }
}
