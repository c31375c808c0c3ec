package io.chirp.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chirp.engines.Ports;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;

@RealEngines(Engine.REDIS)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DownServiceHealthIT implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        // nothing listens there: the service is down
        return Map.of("chirp.gateway.services.like-service.url", "http://127.0.0.1:" + Ports.freePort(),
                "chirp.gateway.health-timeout", "1s");
    }

    @Test
    void aServiceThatDoesNotAnswerMakesTheSystemDown() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(server.getURI() + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(503, response.statusCode());
        JsonNode health = new ObjectMapper().readTree(response.body());
        assertEquals("DOWN", health.path("status").asText());
        JsonNode services = health.path("details").path("services");
        assertEquals("DOWN", services.path("status").asText());
        assertEquals("DOWN", services.path("details").path("like-service").path("status").asText(), services.toString());
    }

    @Test
    void aRouteToAServiceThatDoesNotAnswerIs503WithRetryAfter() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(server.getURI() + "/api/v1/tweets/1/likes")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(503, response.statusCode());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    }
}
