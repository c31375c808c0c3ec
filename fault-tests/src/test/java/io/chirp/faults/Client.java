package io.chirp.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The workload's HTTP client of the public API at the gateway. Unlike a test's usual client it
 * never throws on a failed exchange: a fault is expected, so every exchange ends in an
 * {@link Outcome} (a status, or 0 when no answer came) with its latency.
 */
final class Client {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How long the client waits for an answer: the gateway's route timeout (10 s) plus slack. An
     * exchange that reaches it is a hang, which no fault may cause.
     */
    static final Duration HANG = Duration.ofSeconds(13);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    Client(URI base) {
        this.base = base;
    }

    /**
     * One exchange's end: {@code status} 0 when no answer came ({@code error} says why:
     * {@code "hang"} after {@link #HANG}, else the exception), {@code retryAfter} the
     * {@code Retry-After} header or null, {@code millis} from send to answer.
     */
    record Outcome(int status, JsonNode body, String retryAfter, long millis, String error) {

        boolean ok() {
            return status / 100 == 2;
        }

        /** A 503 that tells the client when to come back: the expected answer of an outage. */
        boolean unavailableWithRetryAfter() {
            return status == 503 && retryAfter != null;
        }

        @Override
        public String toString() {
            return status == 0 ? "no answer (" + error + ") after " + millis + " ms"
                    : status + " after " + millis + " ms" + (body == null ? "" : ": " + body);
        }
    }

    Outcome get(String path, String token) {
        return send(request(path, token).GET());
    }

    Outcome post(String path, String json, String token) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Outcome put(String path, String token) {
        return send(request(path, token).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    Outcome delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(HANG);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Outcome send(HttpRequest.Builder request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            String text = response.body();
            JsonNode body = null;
            if (text != null && !text.isBlank()) {
                try {
                    body = JSON.readTree(text);
                } catch (IOException notJson) {
                    body = JSON.getNodeFactory().textNode(text);
                }
            }
            return new Outcome(response.statusCode(), body, response.headers().firstValue("Retry-After").orElse(null),
                    millis, null);
        } catch (HttpTimeoutException e) {
            return new Outcome(0, null, null, (System.nanoTime() - start) / 1_000_000, "hang");
        } catch (IOException e) {
            return new Outcome(0, null, null, (System.nanoTime() - start) / 1_000_000, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(0, null, null, (System.nanoTime() - start) / 1_000_000, "interrupted");
        }
    }
}
