package io.chirp.platform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What every Chirp application (each service and the gateway) must answer, as tests a
 * service's integration test inherits: {@code /health} UP with the given components UP,
 * {@code /prometheus} in the Prometheus text format, its OpenAPI document at
 * {@code /swagger/<service>.yml}, problem+json for an unknown path, an {@code X-Request-Id} on
 * every answer that is also in the access log, and the series the Grafana dashboard reads.
 */
public abstract class OperationsContract {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the application under test listens, e.g. {@code EmbeddedServer.getURI()}. */
    protected abstract URI baseUrl();

    /** The service name: the OpenAPI file name and the {@code micronaut.application.name}. */
    protected abstract String serviceName();

    /** Health components that must be present and UP (the service's stores), e.g. {@code jdbc}. */
    protected abstract Set<String> storeHealthComponents();

    /** GET {@code path}; returns status, content type and body. */
    protected Response get(String path) {
        return get(path, Map.of());
    }

    /** GET {@code path} with extra request headers. */
    protected Response get(String path, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl().resolve(path)).timeout(Duration.ofSeconds(30)).GET();
            headers.forEach(request::header);
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers().firstValue("X-Request-Id").orElse(""));
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The {@code /health} document, parsed. */
    protected JsonNode health() {
        Response response = get("/health");
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("/health is not JSON: " + response.body(), e);
        }
    }

    @Test
    void healthIsUpWithEveryStore() {
        JsonNode health = health();
        assertEquals("UP", health.path("status").asText(), health.toPrettyString());
        for (String component : storeHealthComponents()) {
            assertEquals("UP", health.path("details").path(component).path("status").asText(),
                    component + " in " + health.toPrettyString());
        }
    }

    @Test
    void servesPrometheusMetrics() {
        Response response = get("/prometheus");
        assertEquals(200, response.status());
        assertTrue(response.body().contains("# TYPE jvm_memory_used_bytes gauge"), "Prometheus text format");
    }

    /**
     * Series the Grafana dashboard reads from this application's {@code /prometheus}, as regular
     * expressions over the text exposition (multi-line mode, so {@code ^} is a line start). Every
     * application: the latency buckets per endpoint. A service adds its own (consumer lag, outbox
     * backlog, sagas in flight) to {@code super.dashboardSeries()}.
     */
    protected List<String> dashboardSeries() {
        return new ArrayList<>(List.of("^http_server_requests_seconds_bucket\\{.*uri=\"/health\".*\\} \\d"));
    }

    /** The series the Grafana dashboard reads: {@link #dashboardSeries()}. */
    @Test
    void prometheusHasWhatTheDashboardReads() throws InterruptedException {
        assertEquals(200, get("/health").status()); // one request, so the latency buckets exist
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) { // gauges polled in the background appear within a few seconds
            String metrics = get("/prometheus").body();
            List<String> missing = dashboardSeries().stream()
                    .filter(expected -> !Pattern.compile(expected, Pattern.MULTILINE).matcher(metrics).find()).toList();
            if (missing.isEmpty()) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "missing from /prometheus after 30 s: " + missing);
            Thread.sleep(500);
        }
    }

    @Test
    void servesItsOpenApiDocument() {
        Response response = get("/swagger/" + serviceName() + ".yml");
        assertEquals(200, response.status());
        assertTrue(response.body().contains("title: " + serviceName()), response.body());
    }

    @Test
    void answersUnknownPathsWithProblemJson() throws IOException {
        Response response = get("/no/such/path");
        assertEquals(404, response.status());
        assertEquals("application/problem+json", response.contentType());
        Map<?, ?> problem = JSON.readValue(response.body(), Map.class);
        assertEquals(404, problem.get("status"));
        assertTrue(problem.containsKey("title"), response.body());
    }

    @Test
    void everyAnswerCarriesARequestIdThatIsInTheAccessLog() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger access = (Logger) LoggerFactory.getLogger("io.chirp.access");
        access.addAppender(log);
        try {
            Response chosen = get("/no/such/path", Map.of("X-Request-Id", "ops-contract-7"));
            assertEquals("ops-contract-7", chosen.requestId(), "a client's id is kept");
            assertTrue(log.list.stream().anyMatch(event -> "ops-contract-7".equals(event.getMDCPropertyMap().get("requestId"))
                    && event.getFormattedMessage().startsWith("GET /no/such/path 404 ")), "access log: " + log.list);

            Response generated = get("/no/such/path");
            assertEquals(36, generated.requestId().length(), "a new id (UUID) when the client sends none");
            Response unsafe = get("/no/such/path", Map.of("X-Request-Id", "GET /admin 200 with spaces"));
            assertEquals(36, unsafe.requestId().length(), "an id that could forge log lines is replaced");
        } finally {
            access.detachAppender(log);
        }
    }

    /** An HTTP answer. */
    protected record Response(int status, String contentType, String body, String requestId) {
    }
}
