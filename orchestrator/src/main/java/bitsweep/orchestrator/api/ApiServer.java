package bitsweep.orchestrator.api;

import bitsweep.io.Json;
import bitsweep.io.SafeNames;
import bitsweep.protocol.LiveView;
import bitsweep.protocol.SupervisorProtocol.ControlReply;
import bitsweep.protocol.SupervisorProtocol;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's HTTP server (Pekko HTTP): the dashboard page, its JSON API and event stream, control
 * endpoints and Prometheus {@code /metrics}. Every answer comes from the sweep supervisor (asked through
 * the singleton proxy) or from the results folder; see docs/dashboard.md for the endpoints.
 */
public final class ApiServer extends AllDirectives {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** Control bodies are a few numbers: anything larger is refused before it is read. */
    static final long MAX_BODY_BYTES = 16 * 1024;
    static final int MAX_STREAMS = 32;
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STREAM_INTERVAL = Duration.ofMillis(500);
    private static final ContentType.WithCharset HTML = ContentTypes.TEXT_HTML_UTF8;

    private final ActorSystem<?> system;
    private final ActorRef<SupervisorProtocol.Command> supervisor;
    private final ApiBinding binding;
    private final TrialFiles files;
    private final ApiMetrics metrics;
    private final Executor blocking;
    private final AtomicInteger streams = new AtomicInteger();

    private ApiServer(ActorSystem<?> system, ActorRef<SupervisorProtocol.Command> supervisor, String sweep,
                      Path resultsDir, ApiBinding binding) {
        this.system = system;
        this.supervisor = supervisor;
        this.binding = binding;
        this.files = new TrialFiles(resultsDir);
        this.metrics = new ApiMetrics(sweep);
        this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    }

    /**
     * Binds the server and waits until it listens (a port in use fails here, before the sweep runs on).
     * It is unbound when the actor system shuts down.
     */
    public static ServerBinding start(ActorSystem<?> system, ActorRef<SupervisorProtocol.Command> supervisor,
                                      String sweep, Path resultsDir, ApiBinding binding) {
        ApiServer server = new ApiServer(system, supervisor, sweep, resultsDir, binding);
        ServerBinding bound;
        try {
            bound = Http.get(system).newServerAt(binding.host(), binding.port()).bind(server.routes())
                    .toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("--http " + binding.host() + ":" + binding.port() + ": cannot listen ("
                    + cause.getMessage() + ")", cause);
        }
        bound.addToCoordinatedShutdown(Duration.ofSeconds(3), system);
        var addr = bound.localAddress();
        log.info("dashboard and API at http://{}:{}/ ({})", binding.host(), addr.getPort(),
                binding.token() == null ? "loopback, no token" : "bearer token from " + ApiBinding.TOKEN_VARIABLE);
        return bound;
    }

    Route routes() {
        return concat(
                path("healthz", () -> get(() -> complete("ok"))),
                pathSingleSlash(() -> get(() -> resource("index.html", HTML))),
                path("dashboard.js", () -> get(() -> resource("dashboard.js",
                        ContentTypes.create(org.apache.pekko.http.javadsl.model.MediaTypes.APPLICATION_JAVASCRIPT,
                                org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8)))),
                path("dashboard.css", () -> get(() -> resource("dashboard.css",
                        ContentTypes.create(org.apache.pekko.http.javadsl.model.MediaTypes.TEXT_CSS,
                                org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8)))),
                authenticated(() -> concat(
                        path("metrics", () -> get(this::metricsRoute)),
                        pathPrefix("api", this::api))));
    }

    private Route api() {
        return concat(
                path("sweep", () -> get(() -> withView(v -> json(StatusCodes.OK, ApiJson.summary(v))))),
                path(PathMatchers.segment("sweep").slash("cancel"), () -> post(() ->
                        control(SupervisorProtocol.CancelSweep::new))),
                path(PathMatchers.segment("sweep").slash("pause"), () -> post(() ->
                        control(SupervisorProtocol.PauseSweep::new))),
                path(PathMatchers.segment("sweep").slash("resume"), () -> post(() ->
                        control(SupervisorProtocol.ResumeSweep::new))),
                path(PathMatchers.segment("sweep").slash("extend"), () -> post(this::extend)),
                path("trials", () -> get(() -> withView(v -> json(StatusCodes.OK,
                        ApiJson.trials(v, id -> files.model(id).isPresent()))))),
                pathPrefix("trials", () -> pathPrefix(PathMatchers.segment(), id -> {
                    if (!SafeNames.isSafe(id)) {
                        return error(StatusCodes.BAD_REQUEST, "invalid trial id: only letters, digits, '.', '_' and "
                                + "'-' are allowed");
                    }
                    return concat(
                            pathEnd(() -> get(() -> withTrial(id, t -> json(StatusCodes.OK,
                                    ApiJson.trial(t, files.model(id).isPresent()))))),
                            path("cancel", () -> post(() -> withTrial(id, t ->
                                    control(r -> new SupervisorProtocol.CancelTrial(id, r))))),
                            path("bits", () -> get(() -> withTrial(id, t -> t.bitTable() != null
                                    ? json(StatusCodes.OK, Json.MAPPER.valueToTree(t.bitTable()))
                                    : onComplete(() -> CompletableFuture.supplyAsync(() -> finalBits(id), blocking),
                                            bits -> bits.isSuccess()
                                                    ? json(StatusCodes.OK, bits.get())
                                                    : error(StatusCodes.INTERNAL_SERVER_ERROR, "cannot read the "
                                                    + "trial's result.json: " + bits.failed().get().getMessage()))))),
                            path("log", () -> get(() -> withTrial(id, t -> onComplete(
                                    () -> CompletableFuture.supplyAsync(() -> readLog(id), blocking), text ->
                                            text.isSuccess()
                                                    ? complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8,
                                                    text.get()))
                                                    : error(StatusCodes.INTERNAL_SERVER_ERROR, "cannot read the logs: "
                                                    + text.failed().get().getMessage()))))),
                            path("model.onnx", () -> get(() -> withTrial(id, t -> files.model(id)
                                    .map(p -> respondWithHeader(ContentDisposition.create(
                                                    ContentDispositionTypes.ATTACHMENT,
                                                    java.util.Map.of("filename", id + ".onnx")),
                                            () -> complete(HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM,
                                                    p.toFile()))))
                                    .orElseGet(() -> error(StatusCodes.NOT_FOUND, "trial " + id + " has no ONNX model "
                                            + "(models are exported for frontier trials when the sweep ends)"))))));
                })),
                path("frontier", () -> get(() -> withView(v -> json(StatusCodes.OK, ApiJson.frontier(v))))),
                path("workers", () -> get(() -> withView(v -> json(StatusCodes.OK, ApiJson.workers(v))))),
                path("events", () -> get(() -> parameterOptional("limit", limit -> {
                    int n;
                    try {
                        n = limit.map(Integer::parseInt).orElse(100);
                    } catch (NumberFormatException e) {
                        return error(StatusCodes.BAD_REQUEST, "limit: expected an integer 1..500, got '"
                                + limit.get() + "'");
                    }
                    if (n < 1 || n > 500) {
                        return error(StatusCodes.BAD_REQUEST, "limit: expected an integer 1..500, got " + n);
                    }
                    return withView(v -> json(StatusCodes.OK, ApiJson.events(v, n)));
                }))),
                path("dashboard", () -> get(() -> withView(v -> json(StatusCodes.OK, dashboard(v))))),
                path("stream", () -> get(() -> extractRequest(request -> stream()))), // a stream per request
                pathEndOrSingleSlash(() -> error(StatusCodes.NOT_FOUND, "see docs/dashboard.md for the endpoints")));
    }

    // --- control --------------------------------------------------------------------------------

    private Route control(Function<ActorRef<ControlReply>, SupervisorProtocol.Command> command) {
        // a Supplier: Java DSL routes are built once, and the ask must happen per request
        Supplier<CompletionStage<ControlReply>> reply = () -> AskPattern.ask(supervisor, command::apply, ASK_TIMEOUT,
                system.scheduler());
        return onComplete(reply, t -> {
            if (t.isFailure()) {
                return unavailable(t.failed().get());
            }
            ControlReply r = t.get();
            ObjectNode n = Json.MAPPER.valueToTree(r);
            return json(r.accepted() ? StatusCodes.OK : StatusCodes.CONFLICT, n);
        });
    }

    private Route extend() {
        return withSizeLimit(MAX_BODY_BYTES, () -> entity(Unmarshaller.entityToString(), body -> {
            ExtendRequest req;
            try {
                req = ExtendRequest.parse(body);
            } catch (IllegalArgumentException e) {
                return error(StatusCodes.BAD_REQUEST, e.getMessage());
            }
            return control(r -> new SupervisorProtocol.ExtendSweep(req.mus(), req.seeds(), r));
        }));
    }

    // --- views ----------------------------------------------------------------------------------

    private CompletionStage<LiveView> view() {
        return AskPattern.ask(supervisor, SupervisorProtocol.GetLiveView::new, ASK_TIMEOUT, system.scheduler());
    }

    private Route withView(Function<LiveView, Route> inner) {
        return onComplete(this::view, t -> t.isSuccess() ? inner.apply(t.get()) : unavailable(t.failed().get()));
    }

    private Route withTrial(String id, Function<LiveView.Trial, Route> inner) {
        return withView(v -> v.trials().stream().filter(t -> t.trialId().equals(id)).findFirst().map(inner)
                .orElseGet(() -> error(StatusCodes.NOT_FOUND, "no trial '" + id + "' in sweep " + v.sweep())));
    }

    private ObjectNode dashboard(LiveView v) {
        return ApiJson.dashboard(v, id -> files.model(id).isPresent());
    }

    private Route metricsRoute() {
        return onComplete(this::view, t -> complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8,
                t.isSuccess() ? metrics.scrape(t.get()) : metrics.scrapeUnreachable())));
    }

    /**
     * Server-sent events: a {@code dashboard} event with the whole dashboard document at once and then
     * whenever it changed (checked twice a second), with keep-alive comments in between.
     */
    private Route stream() {
        if (streams.incrementAndGet() > MAX_STREAMS) {
            streams.decrementAndGet();
            return error(StatusCodes.SERVICE_UNAVAILABLE, "too many open event streams (" + MAX_STREAMS + ")");
        }
        AtomicReference<String> last = new AtomicReference<>("");
        Source<ServerSentEvent, NotUsed> events = Source.tick(Duration.ZERO, STREAM_INTERVAL, "tick")
                .mapAsync(1, tick -> view().handle((v, err) -> Optional.ofNullable(v)))
                .filter(Optional::isPresent)
                .map(v -> dashboard(v.get()))
                .filter(doc -> {
                    ObjectNode key = doc.deepCopy();
                    ((ObjectNode) key.get("summary")).remove("atMillis"); // changes on every poll
                    String s = key.toString();
                    return !s.equals(last.getAndSet(s));
                })
                .map(doc -> ServerSentEvent.create(doc.toString(), "dashboard"))
                .keepAlive(Duration.ofSeconds(15), ServerSentEvent::heartbeat)
                .watchTermination((mat, done) -> {
                    done.whenComplete((d, e) -> streams.decrementAndGet());
                    return NotUsed.getInstance();
                });
        return respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE), () ->
                completeOK(events, EventStreamMarshalling.toEventStream()));
    }

    // --- helpers --------------------------------------------------------------------------------

    private Route authenticated(Supplier<Route> inner) {
        Route routes = inner.get();
        Route guarded = extractRequest(request -> {
            // a browser posting from another site can only send form or text bodies without asking first (CORS
            // preflight, which is never granted here): requiring JSON keeps other pages from steering the sweep
            if (request.method().name().equals("POST")
                    && !request.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
                return error(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "control requests must be sent with "
                        + "'Content-Type: application/json'");
            }
            // without a token only loopback names are answered: a hostile page that rebinds its own domain to
            // 127.0.0.1 (DNS rebinding) sends its own name as Host
            if (binding.token() == null && !TokenlessHosts.allowed(request.getHeader("Host")
                    .map(h -> h.value()).orElse(""))) {
                return error(StatusCodes.FORBIDDEN, "without " + ApiBinding.TOKEN_VARIABLE + " the API answers only "
                        + "requests addressed to 127.0.0.1, [::1] or localhost");
            }
            return routes;
        });
        if (binding.token() == null) {
            return guarded;
        }
        return optionalHeaderValueByName("Authorization", header -> {
            if (BearerAuth.matches(header.orElse(null), binding.token())) {
                return guarded;
            }
            return respondWithHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "bitsweep")), () ->
                    error(StatusCodes.UNAUTHORIZED, header.isPresent() ? "wrong bearer token"
                            : "this API needs 'Authorization: Bearer <token>' (the token in "
                            + ApiBinding.TOKEN_VARIABLE + " on the orchestrator)"));
        });
    }

    /** The finished trial's final bit table, or an empty list when it has none (yet). */
    private JsonNode finalBits(String id) {
        try {
            return files.finalBits(id).orElseGet(Json.MAPPER::createArrayNode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readLog(String id) {
        try {
            return files.log(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Route resource(String name, ContentType type) {
        try (InputStream in = ApiServer.class.getResourceAsStream("/bitsweep/dashboard/" + name)) {
            if (in == null) {
                return error(StatusCodes.NOT_FOUND, name + " is missing from the build");
            }
            return complete(HttpEntities.create(type, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Route json(StatusCode status, JsonNode body) {
        return complete(HttpResponse.create().withStatus(status)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString())));
    }

    private Route error(StatusCode status, String message) {
        return complete(HttpResponse.create().withStatus(status)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, ApiJson.error(message))));
    }

    private Route unavailable(Throwable t) {
        log.warn("the sweep supervisor did not answer: {}", t.toString());
        return error(StatusCodes.SERVICE_UNAVAILABLE, "the sweep supervisor did not answer in " + ASK_TIMEOUT.toSeconds()
                + " s (starting, restarting or overloaded); try again");
    }
}
