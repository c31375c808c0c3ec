package io.chirp.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A client of the public API at the gateway, as curl or a browser would use it. */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Api(URI base) {
        this.base = base;
    }

    /** An answer: status, parsed JSON body (null when empty) and the {@code X-Request-Id} it carried. */
    record Answer(int status, JsonNode body, String requestId) {
    }

    /** Any request, with a chosen {@code X-Request-Id}. */
    Answer send(String method, String path, String json, String token, String requestId) {
        HttpRequest.Builder request = builder(path, token).header("X-Request-Id", requestId);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer get(String path, String token) {
        return send(builder(path, token).GET());
    }

    Answer post(String path, String json, String token) {
        return send(builder(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer put(String path, String token) {
        return send(builder(path, token).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    Answer delete(String path, String token) {
        return send(builder(path, token).DELETE());
    }

    private HttpRequest.Builder builder(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Answer(response.statusCode(), body == null || body.isBlank() ? null : JSON.readTree(body),
                    response.headers().firstValue("X-Request-Id").orElse(""));
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Registers a user and returns {id, token}. */
    String[] register(String username) {
        Answer created = post("/api/v1/users", "{\"username\":\"" + username + "\",\"email\":\"" + username
                + "@e2e.chirp\",\"password\":\"correct horse battery\"}", null);
        if (created.status() != 201) {
            throw new AssertionError("register " + username + ": " + created);
        }
        Answer token = post("/api/v1/auth/token", "{\"username\":\"" + username
                + "\",\"password\":\"correct horse battery\"}", null);
        return new String[] {created.body().path("id").asText(), token.body().path("accessToken").asText()};
    }
}
