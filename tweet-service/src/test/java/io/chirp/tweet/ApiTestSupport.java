package io.chirp.tweet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chirp.engines.Ports;
import io.chirp.platform.sharding.IdGenerator;
import io.chirp.platform.sharding.LogicalShards;
import io.micronaut.test.support.TestPropertyProvider;

/**
 * What the API tests share: the server on a fixed free port (known before it starts, so the
 * JWKS url can point at its own {@code /test-jwks}), users with tokens, and a plain HTTP client
 * that shows every answer as it is (status, headers, raw body).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiTestSupport implements TestPropertyProvider {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final IdGenerator USER_IDS = new IdGenerator();

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    int port;

    /**
     * Called as the application context is built, after the engines started (so none of them
     * can take the port in between).
     */
    @Override
    public Map<String, String> getProperties() {
        port = Ports.freePort(); // below the ephemeral range: no outgoing connection can take it first
        Map<String, String> properties = new HashMap<>(moreProperties());
        properties.put("micronaut.server.port", Integer.toString(port));
        properties.put("micronaut.security.token.jwt.signatures.jwks.users.url",
                "http://127.0.0.1:" + port + "/test-jwks");
        return properties;
    }

    /** Further properties of one test class. */
    Map<String, String> moreProperties() {
        return Map.of();
    }

    /** A user of user-service as the tokens describe it. */
    record TestUser(long id, String username, String token) {
    }

    /** A new user on a random logical shard. */
    static TestUser newUser(String prefix) {
        return newUserOn(LogicalShards.forUser(), prefix);
    }

    /** A new user on the given logical shard. */
    static TestUser newUserOn(int logicalShard, String prefix) {
        long id = USER_IDS.next(logicalShard);
        String username = unique(prefix);
        return new TestUser(id, username, TestJwks.token(id, username));
    }

    /** {@code prefix} and random letters, a valid username when prefix has at most 7 characters. */
    static String unique(String prefix) {
        return prefix + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).substring(0, 8);
    }

    /** An HTTP answer. */
    record Response(int status, Map<String, List<String>> headers, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                    .map(h -> h.getValue().get(0)).findFirst().orElse(null);
        }
    }

    Response send(String method, String path, String token, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(60));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers
                        .ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Response get(String path) {
        return send("GET", path, null, null);
    }

    /** POST /api/v1/tweets; the answer as it is. */
    Response tryPost(TestUser user, Object body) {
        return send("POST", "/api/v1/tweets", user == null ? null : user.token(), body);
    }

    /** Posts a tweet (a reply when {@code replyToId} is given) and returns it, asserting 201. */
    JsonNode post(TestUser user, String text, String replyToId) {
        Map<String, Object> body = new HashMap<>();
        body.put("text", text);
        if (replyToId != null) {
            body.put("replyToId", replyToId);
        }
        Response response = tryPost(user, body);
        assertEquals(201, response.status(), response.body());
        return response.json();
    }

    JsonNode post(TestUser user, String text) {
        return post(user, text, null);
    }

    Response retweet(TestUser user, String tweetId) {
        return send("POST", "/api/v1/tweets/" + tweetId + "/retweets", user.token(), null);
    }

    Response delete(TestUser user, String tweetId) {
        return send("DELETE", "/api/v1/tweets/" + tweetId, user == null ? null : user.token(), null);
    }

    JsonNode tweet(String id) {
        Response response = get("/api/v1/tweets/" + id);
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    /** Every page of a list, following nextCursor; the ids in the order served. */
    List<String> allIds(String path, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Response page = get(path + "?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), page.body());
            page.json().path("items").forEach(t -> ids.add(t.path("id").asText()));
            cursor = page.json().path("nextCursor").isNull() ? null : page.json().path("nextCursor").asText();
        } while (cursor != null);
        return ids;
    }

    /** A problem+json answer with this status whose detail names {@code mentioned}. */
    static void assertProblem(Response response, int status, String mentioned) {
        assertEquals(status, response.status(), response.body());
        assertEquals("application/problem+json", response.header("Content-Type"), response.body());
        assertEquals(status, response.json().path("status").asInt(), response.body());
        assertTrue(response.json().path("detail").asText().contains(mentioned),
                "problem names " + mentioned + ": " + response.body());
    }
}
