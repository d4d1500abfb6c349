package bitsweep.app.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.api.ApiBinding;
import bitsweep.orchestrator.report.SweepCompletion;
import bitsweep.sweep.Sweep;
import bitsweep.sweep.SweepParser;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import bitsweep.worker.sim.SimulatedTrialRunner;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint of the dashboard's API against a running sweep with simulated trainers. */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung stream or browser must fail, not stall CI
@Tag("slow") // in `mvn verify`, not the fast `mvn test` loop (docs/testing.md)
class DashboardApiTest {
    static final String TOKEN = "test-token-0123456789abcdef";

    @TempDir
    Path tmp;

    static Sweep sweep(String name, String mus, int epochs) throws Exception {
        return SweepParser.parse("""
                name: %s
                experiment: mnist
                base: {epochs: %d}
                checkpoint-every: 1
                method: grid
                parameters:
                  gating-lambda: {values: [%s]}
                """.formatted(name, epochs, mus), Path.of(name + ".yaml"), Map.of());
    }

    static JsonNode awaitJson(Http http, String path, Predicate<JsonNode> until, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = http.getJson(path);
            } catch (java.io.IOException e) {
                Thread.sleep(200); // not listening yet
                continue;
            }
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " never happened; last " + path + ": " + last);
    }

    static Optional<JsonNode> trial(JsonNode trials, String id) {
        for (JsonNode t : trials) {
            if (t.get("trialId").asText().equals(id)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Test
    void everyEndpointAnswersAndAnExtensionRunsAndReachesTheFrontier() throws Exception {
        Sweep sweep = sweep("api", "0.01, 0.1", 2);
        Path results = tmp.resolve("results");
        var sim = SimulatedTrialRunner.Settings.durations(1500, 1500);
        try (SweepUnderTest s = SweepUnderTest.start(sweep, results, true, 1, sim, "127.0.0.1", null)) {
            Http http = new Http(s.baseUrl, null);
            assertEquals("ok", http.get("/healthz").body());
            assertTrue(http.get("/").body().contains("<svg id=\"frontier\""));
            assertTrue(http.get("/dashboard.js").body().contains("/api/stream"));
            assertEquals(200, http.get("/dashboard.css").statusCode());

            // other sites cannot steer it: a form or text post gets 415, a rebound DNS name 403
            assertEquals("HTTP/1.1 415 Unsupported Media Type", Http.rawStatusLine(s.baseUrl, "POST",
                    "/api/sweep/pause", "Host: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n"));
            assertEquals("HTTP/1.1 403 Forbidden", Http.rawStatusLine(s.baseUrl, "GET", "/api/sweep",
                    "Host: attacker.example:8080\r\n"));
            assertEquals("HTTP/1.1 200 OK", Http.rawStatusLine(s.baseUrl, "GET", "/api/sweep", "Host: localhost\r\n"));

            JsonNode summary = http.getJson("/api/sweep");
            assertEquals("api", summary.get("sweep").asText());
            assertEquals(2, summary.get("total").asInt());

            // pause: nothing new is handed out; twice is refused; resume
            assertEquals(200, http.post("/api/sweep/pause", null).statusCode());
            HttpResponse<String> again = http.post("/api/sweep/pause", null);
            assertEquals(409, again.statusCode());
            assertTrue(Http.json(again).get("message").asText().contains("already paused"));
            assertEquals("paused", http.getJson("/api/sweep").get("state").asText());
            assertEquals(200, http.post("/api/sweep/resume", null).statusCode());

            // extend: bad bodies get 400 with what is wrong; a good one adds one trial per new MU
            assertBadRequest(http.post("/api/sweep/extend", "not json"), "the body is not JSON");
            assertBadRequest(http.post("/api/sweep/extend", "{\"mus\": [1]}"), "unknown field 'mus'");
            assertBadRequest(http.post("/api/sweep/extend", "{\"mu\": \"1\"}"), "mu: expected an array");
            assertBadRequest(http.post("/api/sweep/extend", "{\"mu\": [-1]}"), "mu: expected finite numbers >= 0");
            assertBadRequest(http.post("/api/sweep/extend", "{\"seeds\": [1.5]}"), "seeds: expected integers >= 0");
            assertBadRequest(http.post("/api/sweep/extend", "{}"), "nothing to add");
            assertEquals(413, http.post("/api/sweep/extend", "{\"mu\": [" + "1,".repeat(20_000) + "1]}")
                    .statusCode());
            HttpResponse<String> extended = http.post("/api/sweep/extend", "{\"mu\": [1.0]}");
            assertEquals(200, extended.statusCode(), extended.body());
            JsonNode ids = Http.json(extended).get("trialIds");
            assertEquals(1, ids.size());
            String added = ids.get(0).asText();
            assertTrue(added.startsWith("mu1-base-s0-"), added);
            assertEquals(409, http.post("/api/sweep/extend", "{\"mu\": [1.0]}").statusCode(), "nothing new");

            // trials, one trial, its bits and log; unknown and malformed ids
            assertEquals(3, http.getJson("/api/trials").size());
            JsonNode t = http.getJson("/api/trials/" + added);
            assertEquals(1.0, t.get("mu").asDouble());
            assertEquals("/api/trials/" + added + "/log", t.get("links").get("log").asText());
            assertEquals(404, http.get("/api/trials/no-such-trial").statusCode());
            assertEquals(404, http.post("/api/trials/no-such-trial/cancel", null).statusCode());
            assertEquals(400, http.get("/api/trials/bad%20id").statusCode());
            assertEquals(400, http.get("/api/trials/..%2F..%2Fetc%2Fpasswd/log").statusCode(), "no path traversal");

            SweepCompletion done = s.completion().get(60, TimeUnit.SECONDS);
            assertEquals(3, done.count(TrialStatus.COMPLETED));

            // the extension ran and is on the frontier plot (as a frontier point or a dominated one)
            JsonNode frontier = http.getJson("/api/frontier");
            List<String> plotted = new ArrayList<>();
            frontier.forEach(v -> {
                v.get("frontier").forEach(p -> plotted.add(p.get("trialId").asText()));
                v.get("dominated").forEach(p -> plotted.add(p.get("trialId").asText()));
            });
            assertTrue(plotted.contains(added), plotted.toString());
            assertEquals(3, plotted.size());
            assertEquals("complete", http.getJson("/api/sweep").get("state").asText());
            assertEquals(0, http.getJson("/api/sweep").get("etaSeconds").asDouble());

            assertTrue(http.getJson("/api/trials/" + added + "/bits").isArray());
            // a finished trial's table comes from its result.json
            Path resultJson = results.resolve("trials/" + added + "/result.json");
            var result = (com.fasterxml.jackson.databind.node.ObjectNode) Http.JSON.readTree(resultJson.toFile());
            result.putArray("bitTable").addObject().put("layer", "conv1").put("weightBits", 4);
            Files.writeString(resultJson, result.toString());
            assertEquals("[{\"layer\":\"conv1\",\"weightBits\":4}]",
                    http.getJson("/api/trials/" + added + "/bits").toString());
            Files.createDirectories(results.resolve("logs"));
            Files.writeString(results.resolve("logs/worker-0.log"), "10:00 trial " + added + " epoch 1\n"
                    + "10:01 trial other epoch 1\n");
            String log = http.get("/api/trials/" + added + "/log").body();
            assertEquals("worker-0.log: 10:00 trial " + added + " epoch 1\n", log);

            // the ONNX model once it exists; a symbolic link out of the results folder is never followed
            assertEquals(404, http.get("/api/trials/" + added + "/model.onnx").statusCode());
            Files.createDirectories(results.resolve("models"));
            Files.write(results.resolve("models/" + added + ".onnx"), new byte[] {8, 1, 2, 3});
            HttpResponse<String> model = http.get("/api/trials/" + added + "/model.onnx");
            assertEquals(200, model.statusCode());
            assertEquals(4, model.body().length());
            assertTrue(http.getJson("/api/trials/" + added).get("links").has("model"));
            String other = done.trials().get(0).spec().trialId();
            Path secret = Files.writeString(tmp.resolve("secret.txt"), "not for the API");
            Files.createSymbolicLink(results.resolve("models/" + other + ".onnx"), secret);
            assertEquals(404, http.get("/api/trials/" + other + "/model.onnx").statusCode());

            // events, workers, the stream's first event and the metrics
            JsonNode events = http.getJson("/api/events?limit=5");
            assertEquals(5, events.size());
            assertBadRequest(http.get("/api/events?limit=abc"), "limit: expected an integer 1..500");
            assertTrue(http.getJson("/api/events?limit=500").toString().contains("sweep extended by MU [1.0]"));
            JsonNode workers = http.getJson("/api/workers");
            assertEquals(1, workers.size());
            assertEquals("cpu()", workers.get(0).get("device").asText());
            JsonNode first = firstStreamEvent(s.baseUrl, null);
            assertEquals(3, first.get("trials").size());
            assertEquals("complete", first.get("summary").get("state").asText());

            String metrics = http.get("/metrics").body();
            assertTrue(metrics.contains("bitsweep_trials{state=\"completed\",sweep=\"api\"} 3.0"), metrics);
            assertTrue(metrics.contains("bitsweep_queue_length{sweep=\"api\"} 0.0"), metrics);
            assertTrue(metrics.contains("bitsweep_supervisor_up{sweep=\"api\"} 1.0"), metrics);
            assertTrue(metrics.contains("bitsweep_trial_attempts{sweep=\"api\"} 3.0"), metrics);
            assertTrue(metrics.contains("bitsweep_worker_images_per_second{device=\"cpu()\""), metrics);
        }
    }

    private static void assertBadRequest(HttpResponse<String> r, String message) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(Http.json(r).get("error").asText().contains(message), r.body());
    }

    /** Opens {@code /api/stream} and returns the data of its first {@code dashboard} event. */
    static JsonNode firstStreamEvent(String base, String token) throws Exception {
        var req = new Http(base, token).request("/api/stream").GET().build();
        HttpResponse<java.io.InputStream> r = HttpClient.newHttpClient().send(req,
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            // one event: "field:value" lines up to a blank line, fields in any order (Pekko writes data first)
            String line;
            String event = null;
            StringBuilder data = new StringBuilder();
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if ("dashboard".equals(event) && data.length() > 0) {
                        return Http.JSON.readTree(data.toString());
                    }
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).stripLeading());
                }
            }
        }
        throw new AssertionError("the stream ended without a dashboard event");
    }

    @Test
    void offLoopbackEveryRequestNeedsTheBearerTokenAndTheServerRefusesToStartWithoutOne() throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> ApiBinding.parse("0.0.0.0:8080", Map.of()));
        assertTrue(e.getMessage().contains("set " + ApiBinding.TOKEN_VARIABLE), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ApiBinding.parse("0.0.0.0:8080",
                Map.of(ApiBinding.TOKEN_VARIABLE, "short")));
        assertEquals(null, ApiBinding.parse("127.0.0.1:8080", Map.of()).token());
        assertEquals(TOKEN, ApiBinding.parse("0.0.0.0:8080", Map.of(ApiBinding.TOKEN_VARIABLE, TOKEN)).token());

        Sweep sweep = sweep("secured", "0.01", 1);
        var sim = SimulatedTrialRunner.Settings.durations(200, 200);
        try (SweepUnderTest s = SweepUnderTest.start(sweep, tmp.resolve("results"), true, 1, sim, "0.0.0.0", TOKEN)) {
            List<String> bases = new ArrayList<>(List.of(s.baseUrl));
            nonLoopbackAddress().ifPresent(a -> bases.add(s.baseUrl.replace("127.0.0.1", a)));
            for (String base : bases) {
                Http anonymous = new Http(base, null);
                Http wrong = new Http(base, TOKEN.substring(1) + "x");
                Http right = new Http(base, TOKEN);
                for (String path : List.of("/api/sweep", "/api/trials", "/api/frontier", "/api/events",
                        "/api/workers", "/api/stream", "/metrics")) {
                    HttpResponse<String> r = anonymous.get(path);
                    assertEquals(401, r.statusCode(), base + path);
                    assertEquals("Bearer realm=\"bitsweep\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
                    assertEquals(401, wrong.get(path).statusCode(), base + path);
                }
                for (String path : List.of("/api/sweep/pause", "/api/sweep/resume", "/api/sweep/cancel",
                        "/api/sweep/extend", "/api/trials/x/cancel")) {
                    assertEquals(401, anonymous.post(path, "{\"mu\": [1]}").statusCode(), base + path);
                    assertEquals(401, wrong.post(path, "{\"mu\": [1]}").statusCode(), base + path);
                }
                assertEquals(200, right.get("/api/sweep").statusCode(), base);
                assertEquals(200, anonymous.get("/healthz").statusCode(), "probes need no token");
                assertEquals(200, anonymous.get("/").statusCode(), "the page itself holds no data");
                assertTrue(wrong.get("/api/sweep").body().contains("wrong bearer token"));
            }
            assertEquals("secured", firstStreamEvent(s.baseUrl, TOKEN).get("summary").get("sweep").asText());
            s.completion().get(60, TimeUnit.SECONDS);
        }
    }

    /** This machine's first non-loopback IPv4 address, if it has one. */
    static Optional<String> nonLoopbackAddress() throws Exception {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return Optional.of(a.getHostAddress());
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void aCancelledTrialStaysCancelledAfterTheOrchestratorRestarts() throws Exception {
        Sweep sweep = sweep("restart", "0.01, 0.1, 1.0", 2);
        String running = sweep.trials().get(0).trialId();
        String queued = sweep.trials().get(2).trialId();
        Path results = tmp.resolve("results");
        // the first trial hangs until cancelled: it is surely running when the cancel comes
        var sim = SimulatedTrialRunner.Settings.durations(500, 500).hanging(Set.of(running));
        try (SweepUnderTest s = SweepUnderTest.start(sweep, results, true, 1, sim, "127.0.0.1", null)) {
            Http http = new Http(s.baseUrl, null);
            awaitJson(http, "/api/trials/" + running, t -> t.get("status").asText().equals("running"), "running");
            HttpResponse<String> r = http.post("/api/trials/" + running + "/cancel", null);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(Http.json(r).get("message").asText().startsWith("trial " + running + " cancelled (was running"));
            assertEquals(200, http.post("/api/trials/" + queued + "/cancel", null).statusCode());
            assertEquals(409, http.post("/api/trials/" + queued + "/cancel", null).statusCode(), "already ended");
            assertEquals(200, http.post("/api/sweep/pause", null).statusCode()); // the rest waits for the restart
        }
        try (SweepUnderTest s = SweepUnderTest.start(sweep, results, false, 1,
                SimulatedTrialRunner.Settings.durations(200, 200), "127.0.0.1", null)) {
            Http http = new Http(s.baseUrl, null);
            JsonNode trials = http.getJson("/api/trials");
            assertEquals("cancelled", trial(trials, running).orElseThrow().get("status").asText());
            assertEquals("cancelled", trial(trials, queued).orElseThrow().get("status").asText());
            assertEquals("paused", http.getJson("/api/sweep").get("state").asText(), "the pause is journaled too");
            assertEquals(200, http.post("/api/sweep/resume", null).statusCode());
            SweepCompletion done = s.completion().get(60, TimeUnit.SECONDS);
            assertEquals(1, done.count(TrialStatus.COMPLETED));
            assertEquals(2, done.count(TrialStatus.CANCELLED));
            assertEquals(1, done.trials().stream().filter(t -> t.spec().trialId().equals(running)).findFirst()
                    .orElseThrow().attempts(), "the cancelled trial was not run again");
            assertFalse(http.getJson("/api/trials").toString().contains("\"status\":\"running\""));
        }
    }
}
