package io.chirp.platform.database.move;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.chirp.platform.sharding.ShardMap;

/**
 * The move tool's HTTP client of one service's instances ({@link ShardMoveController}'s
 * {@code /internal/shards} endpoints), plain {@link HttpClient} so the tool needs no framework.
 * Every call has a timeout; a failure is an {@link IOException} naming the instance.
 */
public final class ServiceInstances {

    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern DRAIN = Pattern.compile("\"drainMicros\"\\s*:\\s*(\\d+)");

    private final List<URI> instances;
    private final HttpClient http = HttpClient.newBuilder()
            // HTTP/1.1: the default HTTP/2 upgrade attempt on a cleartext connection cost seconds per call
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Duration timeout;

    /**
     * @param instances every instance's base URL (e.g. {@code http://127.0.0.1:8081}); the move
     *                  must reach them all
     * @param timeout   of each call; a fence call also waits for the drain
     */
    public ServiceInstances(List<URI> instances, Duration timeout) {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("no instance to talk to");
        }
        this.instances = List.copyOf(instances);
        this.timeout = timeout;
    }

    public List<URI> instances() {
        return instances;
    }

    /** The current map of one instance. */
    public ShardMap map(URI instance) throws IOException {
        String body = send(instance, HttpRequest.newBuilder(instance.resolve("/internal/shards/map")).GET(), 200);
        return ShardMap.parseEntries(strings(body, "ranges"), List.of(), strings(body, "physical"));
    }

    /**
     * Raises the fence of {@code logical} on one instance.
     *
     * @return how long that instance's work in flight on the shard took to finish
     */
    public Duration fence(URI instance, int logical, Duration drainTimeout, Duration maxHold) throws IOException {
        URI uri = instance.resolve("/internal/shards/" + logical + "/fence?drainTimeoutMs=" + drainTimeout.toMillis()
                + "&maxHoldMs=" + maxHold.toMillis());
        String body = send(instance, HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()), 200);
        Matcher m = DRAIN.matcher(body);
        return m.find() ? Duration.ofNanos(Long.parseLong(m.group(1)) * 1_000) : Duration.ZERO;
    }

    /** Lifts the fence of {@code logical} on one instance. */
    public void lift(URI instance, int logical) throws IOException {
        send(instance, HttpRequest.newBuilder(instance.resolve("/internal/shards/" + logical + "/fence")).DELETE(), 204);
    }

    /** Routes {@code logical} to {@code physical} on one instance. */
    public void switchTo(URI instance, int logical, String physical) throws IOException {
        String json = "{\"logical\":" + logical + ",\"physical\":\"" + physical.replace("\"", "") + "\"}";
        send(instance, HttpRequest.newBuilder(instance.resolve("/internal/shards/map"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), 204);
    }

    private String send(URI instance, HttpRequest.Builder request, int expected) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + instance, e);
        } catch (IOException e) {
            throw new IOException(instance + " did not answer: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        if (response.statusCode() != expected) {
            throw new IOException(instance + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The strings of the JSON array {@code "field":[...]} (enough for the map's answer). */
    static List<String> strings(String json, String field) {
        int start = json.indexOf("\"" + field + "\"");
        if (start < 0) {
            throw new IllegalArgumentException("no " + field + " in " + json);
        }
        int open = json.indexOf('[', start);
        int close = json.indexOf(']', open);
        List<String> values = new ArrayList<>();
        Matcher m = STRING.matcher(json.substring(open + 1, close));
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }
}
