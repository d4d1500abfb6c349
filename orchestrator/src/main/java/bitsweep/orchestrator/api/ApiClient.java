package bitsweep.orchestrator.api;

import bitsweep.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The CLI's side of the API ({@code bitsweep status/cancel/extend --url}): JSON over HTTP with the bearer
 * token from {@value ApiBinding#TOKEN_VARIABLE}. Answers are bounded in size and every failure becomes
 * one clear message.
 */
public final class ApiClient {
    static final int MAX_RESPONSE_BYTES = 64 << 20;

    /** An HTTP answer that is not 2xx; {@code message} is the server's own explanation. */
    public static final class ApiException extends IOException {
        private final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** @throws IllegalArgumentException for a URL that is not {@code http(s)://HOST:PORT} */
    public ApiClient(String url, Map<String, String> env) {
        try {
            URI u = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw new URISyntaxException(url, "expected http://HOST:PORT");
            }
            this.base = u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--url: expected the dashboard's address, e.g. http://10.0.0.5:8080, "
                    + "got '" + url + "'");
        }
        String t = env.get(ApiBinding.TOKEN_VARIABLE);
        this.token = t == null || t.isBlank() ? null : t.strip();
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    public JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : body.toString())).build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<InputStream> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new IOException("cannot reach " + base + " (is the orchestrator running with --http?)", e);
        }
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
        }
        if (body.length > MAX_RESPONSE_BYTES) {
            throw new IOException(request.uri() + ": the answer is larger than " + (MAX_RESPONSE_BYTES >> 20) + " MiB");
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IOException(request.uri() + " did not answer JSON (HTTP " + r.statusCode() + "); is "
                    + base + " a BitSweep dashboard?");
        }
        if (r.statusCode() == 401) {
            throw new ApiException(401, (token == null ? "the API needs a token: set " + ApiBinding.TOKEN_VARIABLE
                    : "the API refused the token in " + ApiBinding.TOKEN_VARIABLE) + " (" + text(json) + ")");
        }
        if (r.statusCode() / 100 != 2 && r.statusCode() != 409) {
            throw new ApiException(r.statusCode(), text(json));
        }
        return json;
    }

    private static String text(JsonNode json) {
        if (json != null && json.has("error")) {
            return json.get("error").asText();
        }
        if (json != null && json.has("message")) {
            return json.get("message").asText();
        }
        return String.valueOf(json);
    }
}
