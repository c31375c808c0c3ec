package io.chirp.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

    /** A raw answer: status, headers (names lower-cased) and the body as text, unparsed. */
    record Raw(int status, Map<String, List<String>> headers, String body) {

        /** The first value of a header, or null. */
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /**
     * Any request exactly as given: any method (OPTIONS too), a body of raw bytes (null for
     * none, so invalid UTF-8 can be sent), and any headers (Content-Type, Origin, Authorization…).
     */
    Raw raw(String method, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, List<String>> lower = new java.util.TreeMap<>();
            response.headers().map().forEach((name, values) -> lower.put(name.toLowerCase(java.util.Locale.ROOT), values));
            return new Raw(response.statusCode(), lower, response.body() == null ? "" : response.body());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Registers a user with a chosen password and returns {id, token}. */
    String[] register(String username, String password) {
        Answer created = post("/api/v1/users", "{\"username\":\"" + username + "\",\"email\":\"" + username
                + "@e2e.chirp\",\"password\":\"" + password + "\"}", null);
        if (created.status() != 201) {
            throw new AssertionError("register " + username + ": " + created);
        }
        Answer token = post("/api/v1/auth/token", "{\"username\":\"" + username
                + "\",\"password\":\"" + password + "\"}", null);
        if (token.status() != 200) {
            throw new AssertionError("token " + username + ": " + token);
        }
        return new String[] {created.body().path("id").asText(), token.body().path("accessToken").asText()};
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
