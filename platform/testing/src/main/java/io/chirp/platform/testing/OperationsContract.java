package io.chirp.platform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What every Chirp application (each service and the gateway) must answer, as tests a
 * service's integration test inherits: {@code /health} UP with the given components UP,
 * {@code /prometheus} in the Prometheus text format, its OpenAPI document at
 * {@code /swagger/<service>.yml}, and problem+json for an unknown path.
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
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(baseUrl().resolve(path))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
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

    /** An HTTP answer. */
    protected record Response(int status, String contentType, String body) {
    }
}
