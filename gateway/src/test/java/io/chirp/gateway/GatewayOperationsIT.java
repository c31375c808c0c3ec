package io.chirp.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import io.chirp.engines.Ports;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.OperationsContract;
import io.chirp.platform.testing.RealEngines;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;

@RealEngines(Engine.REDIS)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayOperationsIT extends OperationsContract implements TestPropertyProvider {

    static final Set<String> SERVICES = Set.of("user-service", "tweet-service", "timeline-service",
            "like-service", "search-service");

    private final int port = Ports.freePort();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("micronaut.server.port", Integer.toString(port));
        properties.put("micronaut.security.token.jwt.signatures.jwks.users.url",
                "http://127.0.0.1:" + port + "/stub/user-service/.well-known/jwks.json");
        for (String service : SERVICES) {
            properties.put("chirp.gateway.services." + service + ".url", "http://127.0.0.1:" + port + "/stub/" + service);
        }
        return properties;
    }

    @Override
    protected URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    protected String serviceName() {
        return "gateway";
    }

    @Override
    protected Set<String> storeHealthComponents() {
        return Set.of("redis", "services");
    }

    @Test
    void publicPathsAreRoutedToTheirOwnerWithARequestId() throws Exception {
        Map<String, String> owners = new java.util.LinkedHashMap<>();
        owners.put("/api/v1/users/42", "user-service");
        owners.put("/api/v1/users/by-username/alice", "user-service");
        owners.put("/api/v1/users/42/followers", "user-service");
        owners.put("/api/v1/users/42/tweets", "tweet-service");
        owners.put("/api/v1/users/42/likes", "like-service");
        owners.put("/api/v1/tweets/7", "tweet-service");
        owners.put("/api/v1/tweets/7/replies", "tweet-service");
        owners.put("/api/v1/tweets/7/likes", "like-service");
        owners.put("/api/v1/timelines/home", "timeline-service");
        owners.put("/api/v1/search/tweets?q=x", "search-service");
        owners.put("/api/v1/trends", "search-service");
        for (Map.Entry<String, String> route : owners.entrySet()) {
            Response response = get(route.getKey());
            assertEquals(200, response.status(), route.getKey() + " -> " + response.body());
            JsonNode echo = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
            assertEquals(route.getValue(), echo.path("service").asText(), route.getKey());
            assertEquals(route.getKey().replaceAll("\\?.*", ""), echo.path("path").asText());
            assertEquals(36, echo.path("requestId").asText().length(), "a request id was generated");
        }
    }

    @Test
    void aClientsRequestIdIsPassedThroughAndReturned() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        baseUrl().resolve("/api/v1/tweets/7")).header("X-Request-Id", "trace-me-42").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals("trace-me-42", response.headers().firstValue("X-Request-Id").orElse(""));
        assertEquals("trace-me-42", new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body())
                .path("requestId").asText());
        String traceparent = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body())
                .path("traceparent").asText();
        assertTrue(traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"),
                "the proxied request continues the gateway's trace: '" + traceparent + "'");
    }

    @Test
    void corsIsGrantedToTheConfiguredOriginOnly() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> preflight = (origin, path) -> {
            try {
                return client.send(java.net.http.HttpRequest.newBuilder(baseUrl().resolve(path))
                        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                        .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "authorization,content-type").build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        var allowed = preflight.apply("http://localhost:3000", "/api/v1/tweets");
        assertEquals(204, allowed.statusCode());
        assertEquals("http://localhost:3000", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(allowed.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        assertTrue(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));

        for (String evil : List.of("http://evil.example", "http://localhost:3000.evil.example", "null")) {
            var denied = preflight.apply(evil, "/api/v1/tweets");
            assertEquals(403, denied.statusCode(), evil);
            assertTrue(denied.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), evil);
        }

        var simple = client.send(java.net.http.HttpRequest.newBuilder(baseUrl().resolve("/api/v1/tweets/7"))
                .header("Origin", "http://localhost:3000").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, simple.statusCode());
        assertEquals("http://localhost:3000", simple.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(simple.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("X-Request-Id"));
        var foreign = client.send(java.net.http.HttpRequest.newBuilder(baseUrl().resolve("/api/v1/tweets/7"))
                .header("Origin", "http://evil.example").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(foreign.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void aBodyOver64KiBIs413BeforeAnyForwarding() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        baseUrl().resolve("/api/v1/tweets")).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"text\":\"" + "x".repeat(70_000) + "\"}"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode(), response.body());
    }

    @Test
    void tokensAreCheckedAtTheEdge() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, Integer> withToken = token -> {
            try {
                return client.send(java.net.http.HttpRequest.newBuilder(baseUrl().resolve("/api/v1/tweets/7"))
                        .header("Authorization", token).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                        .statusCode();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        String valid = io.chirp.platform.testing.TestTokens.forUser(42);
        assertEquals(200, withToken.apply("Bearer " + valid), "a valid token passes");
        String[] parts = valid.split("\\.");
        String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"1\",\"exp\":4102444800}".getBytes()) + "." + parts[2];
        assertEquals(401, withToken.apply("Bearer " + tampered), "tampered claims");
        String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + "." + parts[1] + ".";
        assertEquals(401, withToken.apply("Bearer " + none), "alg none");
        var foreign = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("test-" + ProcessHandle.current().pid())
                .generate();
        var forged = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(
                com.nimbusds.jose.JWSAlgorithm.RS256).keyID(foreign.getKeyID()).build(),
                new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("42")
                        .expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000)).build());
        forged.sign(new com.nimbusds.jose.crypto.RSASSASigner(foreign));
        assertEquals(401, withToken.apply("Bearer " + forged.serialize()), "signed by another key");
        assertEquals(401, withToken.apply("Bearer " + io.chirp.platform.testing.TestTokens.expiredForUser(42)),
                "expired, though correctly signed");
        assertEquals(401, withToken.apply("Basic dXNlcjpwYXNz"), "not a bearer token");
    }

    @Test
    void internalPathsAreNotReachableThroughTheGateway() {
        assertEquals(404, get("/internal/users/42/follower-ids").status());
        assertEquals(404, get("/api/v2/users/42").status());
    }

    @Test
    void healthListsEveryServiceUp() {
        JsonNode services = health().path("details").path("services").path("details");
        for (String service : SERVICES) {
            assertEquals("UP", services.path(service).path("status").asText(), services.toPrettyString());
            assertEquals("UP", services.path(service).path("components").path("jdbc").asText(),
                    "each service's own components are reported: " + services.toPrettyString());
        }
    }
}
