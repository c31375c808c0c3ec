package io.chirp.search.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micronaut.json.JsonMapper;

/** The search API over real HTTP, as a client sees it (status, content type, JSON body). */
public final class SearchApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final JsonMapper json;

    public SearchApi(URI base, JsonMapper json) {
        this.base = base;
        this.json = json;
    }

    /** An answer: status, content type and the body parsed as a JSON object (empty when not JSON). */
    public record Answer(int status, String contentType, String body, Map<String, Object> json) {

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> items() {
            return (List<Map<String, Object>>) json.get("items");
        }

        public List<String> ids() {
            return items().stream().map(i -> (String) i.get("id")).toList();
        }

        public String nextCursor() {
            return (String) json.get("nextCursor");
        }
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public Answer get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET());
    }

    public Answer post(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public Answer tweets(String q, int limit, String cursor) {
        return get("/api/v1/search/tweets?q=" + encode(q) + "&limit=" + limit
                + (cursor == null ? "" : "&cursor=" + encode(cursor)));
    }

    /** Ids of the first page (at most 100) of a tweet search that must answer 200. */
    public List<String> tweetIds(String q) {
        Answer answer = tweets(q, 100, null);
        if (answer.status() != 200) {
            throw new AssertionError("search " + q + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.ids();
    }

    /** Every id of a tweet search, page by page. */
    public List<String> allTweetIds(String q, int pageSize) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            Answer page = tweets(q, pageSize, cursor);
            if (page.status() != 200) {
                throw new AssertionError("search " + q + " answered " + page.status() + ": " + page.body());
            }
            all.addAll(page.ids());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    public Answer users(String q, int limit) {
        return get("/api/v1/search/users?q=" + encode(q) + "&limit=" + limit);
    }

    public List<String> userIds(String q) {
        Answer answer = users(q, 100);
        if (answer.status() != 200) {
            throw new AssertionError("user search " + q + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.ids();
    }

    @SuppressWarnings("unchecked")
    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            Map<String, Object> body = type.contains("json") && response.body().startsWith("{")
                    ? json.readValue(response.body(), Map.class) : Map.of();
            return new Answer(response.statusCode(), type, response.body(), body);
        } catch (IOException e) {
            throw new AssertionError(request + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
