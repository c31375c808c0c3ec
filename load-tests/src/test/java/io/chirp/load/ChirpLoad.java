package io.chirp.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What every simulation shares: its parameters (system properties), the seeded Reed98 graph,
 * the accounts logged in up front (token and id per seeded user), the feeders, the requests of
 * the public API, and the gate (assertions).
 * <p>
 * The cluster is expected to be seeded with
 * {@code ./chirp seed --graph ../shared/data/socfb-Reed98.edges --tweets 5}: every node {@code n}
 * of the edge list is the user {@code user_<n>} with the password {@link #PASSWORD}, following
 * and followed by each of its neighbours.
 */
public final class ChirpLoad {

    /** The seeder's password (deploy/launcher Seeder.PASSWORD). */
    public static final String PASSWORD = "chirp-seed-password";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String[] WORDS = ("load test tweet about distributed systems caches queues shards"
            + " timelines fan out followers coffee exams music").split(" ");
    private static final String[] TAGS = {"reed", "chirp", "campus", "music", "exams", "coffee", "sharding", "kafka"};
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private ChirpLoad() {
    }

    /**
     * Parameters of one run, from system properties ({@code -Dk=v} on the mvn or ./chirp bench
     * command line).
     *
     * @param baseUrl          the gateway ({@code baseUrl}, default http://localhost:8080)
     * @param users            seeded users logged in and used as the population ({@code users})
     * @param rate             arrivals per second of the main scenario ({@code rate})
     * @param duration         seconds of injection ({@code duration})
     * @param p99Ms            the gate on the global 99th percentile, milliseconds ({@code p99Ms})
     * @param maxFailedPercent the gate on failed requests, percent ({@code maxFailedPercent})
     */
    public record Config(String baseUrl, int users, double rate, int duration, int p99Ms, double maxFailedPercent) {

        /** A property of this run, else {@code fallback}. */
        public String get(String name, String fallback) {
            return System.getProperty(name, fallback);
        }

        public int getInt(String name, int fallback) {
            return Integer.parseInt(get(name, Integer.toString(fallback)));
        }

        public double getDouble(String name, double fallback) {
            return Double.parseDouble(get(name, Double.toString(fallback)));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "baseUrl=%s users=%d rate=%s/s duration=%ds gate: p99<%dms failed<=%s%%",
                    baseUrl, users, rate, duration, p99Ms, maxFailedPercent);
        }
    }

    /** The run's parameters, with a scenario's own defaults for users and rate. */
    public static Config config(int defaultUsers, double defaultRate) {
        Config config = new Config(
                System.getProperty("baseUrl", "http://localhost:8080").replaceAll("/+$", ""),
                Integer.getInteger("users", defaultUsers),
                Double.parseDouble(System.getProperty("rate", Double.toString(defaultRate))),
                Integer.getInteger("duration", 60),
                Integer.getInteger("p99Ms", 500),
                Double.parseDouble(System.getProperty("maxFailedPercent", "0")));
        System.out.println("chirp load test: " + config);
        return config;
    }

    /** HTTP protocol: JSON, one shared connection pool (keep-alive), warm-up on /health. */
    public static HttpProtocolBuilder protocol(Config config) {
        return http.baseUrl(config.baseUrl())
                .acceptHeader("application/json")
                .contentTypeHeader("application/json")
                .userAgentHeader("chirp-load-tests/gatling")
                // not gatling.io: the machine may have no internet
                .warmUp(config.baseUrl() + "/health")
                .shareConnections();
    }

    /** The gate every scenario ends with: failed requests and the global p99. */
    public static Assertion[] gate(Config config, Assertion... more) {
        List<Assertion> all = new ArrayList<>();
        all.add(global().failedRequests().percent().lte(config.maxFailedPercent()));
        all.add(global().responseTime().percentile(99.0).lt(config.p99Ms()));
        all.addAll(Arrays.asList(more));
        return all.toArray(Assertion[]::new);
    }

    // ---------------------------------------------------------------- the graph

    /** The seeded social graph, undirected as the seeder loads it: each edge is a follow both ways. */
    public record Graph(Path file, Map<Integer, Set<Integer>> neighbours) {

        public Set<Integer> nodes() {
            return neighbours.keySet();
        }

        public int degree(int node) {
            return neighbours.getOrDefault(node, Set.of()).size();
        }

        /** Nodes by decreasing degree (ties by id). */
        public List<Integer> byDegree() {
            List<Integer> nodes = new ArrayList<>(nodes());
            nodes.sort(Comparator.comparingInt((Integer n) -> -degree(n)).thenComparing(n -> n));
            return nodes;
        }
    }

    /**
     * Reads the edge list named by {@code -Dgraph=FILE}, else {@code ../shared/data/socfb-Reed98.edges}
     * relative to the repository root (found upwards from the working directory). Never copied into
     * the repository.
     */
    public static Graph graph() {
        Path file = graphFile();
        Map<Integer, Set<Integer>> neighbours = new LinkedHashMap<>();
        try {
            for (String raw : Files.readAllLines(file)) {
                String line = raw.trim();
                if (line.isEmpty() || line.startsWith("%") || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("[\\s,]+");
                if (parts.length < 2) {
                    continue;
                }
                int a = Integer.parseInt(parts[0]);
                int b = Integer.parseInt(parts[1]);
                if (a == b) {
                    continue;
                }
                neighbours.computeIfAbsent(a, k -> new TreeSet<>()).add(b);
                neighbours.computeIfAbsent(b, k -> new TreeSet<>()).add(a);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the graph " + file, e);
        }
        return new Graph(file, neighbours);
    }

    private static Path graphFile() {
        String explicit = System.getProperty("graph");
        if (explicit != null) {
            return Path.of(explicit);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/data/socfb-Reed98.edges").normalize();
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no ../shared/data/socfb-Reed98.edges above " + Path.of("").toAbsolutePath()
                + "; pass -Dgraph=/path/to/edges");
    }

    /** {@code count} nodes drawn at random (fixed seed, so runs are comparable). */
    public static List<Integer> sample(Graph graph, int count) {
        List<Integer> nodes = new ArrayList<>(graph.nodes());
        java.util.Collections.shuffle(nodes, new Random(42));
        return new ArrayList<>(nodes.subList(0, Math.min(count, nodes.size())));
    }

    // ---------------------------------------------------------------- accounts (setup, before injection)

    /** A seeded user, logged in. */
    public record Account(int node, String username, String id, String token) {
    }

    /**
     * Logs in {@code user_<n>} for each node (POST /api/v1/auth/token) and looks up their ids (GET
     * /api/v1/users/by-username/{username}), four at a time. Runs before the injection starts.
     */
    public static Map<Integer, Account> login(Config config, Collection<Integer> nodes) {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Map<Integer, Future<Account>> futures = new LinkedHashMap<>();
            for (int node : new LinkedHashSet<>(nodes)) {
                futures.put(node, pool.submit(() -> login(config, "user_" + node, PASSWORD, node)));
            }
            Map<Integer, Account> accounts = new LinkedHashMap<>();
            for (Map.Entry<Integer, Future<Account>> f : futures.entrySet()) {
                accounts.put(f.getKey(), f.getValue().get());
            }
            System.out.printf(Locale.ROOT, "logged in %d seeded users in %.1f s%n", accounts.size(),
                    (System.nanoTime() - start) / 1e9);
            return accounts;
        } catch (Exception e) {
            throw new IllegalStateException("logging in the seeded users (is the cluster up and seeded? "
                    + "./chirp seed --graph ../shared/data/socfb-Reed98.edges): " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Logs one user in and reads their id. */
    public static Account login(Config config, String username, String password, int node) {
        JsonNode token = call(config, "POST", "/api/v1/auth/token", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}", 200);
        JsonNode user = call(config, "GET", "/api/v1/users/by-username/" + username, null, null, 200);
        return new Account(node, username, user.get("id").asText(), token.get("accessToken").asText());
    }

    /**
     * One request of the setup or the final checks (not measured), with the JDK's client.
     *
     * @return the JSON body (an empty object for an empty body)
     * @throws IllegalStateException when the status is not {@code expected}
     */
    public static JsonNode call(Config config, String method, String path, String token, String body, int... expected) {
        String url = path.startsWith("http") ? path : config.baseUrl() + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (Arrays.stream(expected).noneMatch(s -> s == response.statusCode())) {
                throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + url + " interrupted", e);
        }
    }

    /** Status and body of a setup request, whatever the status. */
    public static String text(Config config, String url) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("GET " + url + " interrupted", e);
        }
    }

    // ---------------------------------------------------------------- feeders

    /**
     * An endless random feeder over the accounts: {@code token}, {@code userId}, {@code username} of
     * the acting user, {@code targetId} of another user (whose timeline to read) and a fresh
     * {@code text}.
     */
    public static Iterator<Map<String, Object>> accountFeeder(List<Account> accounts) {
        if (accounts.isEmpty()) {
            throw new IllegalArgumentException("no accounts to feed");
        }
        return Stream.generate(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            Account me = accounts.get(random.nextInt(accounts.size()));
            Account other = accounts.get(random.nextInt(accounts.size()));
            Map<String, Object> record = new HashMap<>();
            record.put("token", me.token());
            record.put("userId", me.id());
            record.put("username", me.username());
            record.put("targetId", other.id());
            record.put("text", tweetText(""));
            return record;
        }).iterator();
    }

    /** A tweet text of a few words and a hashtag (JSON-safe), with {@code extra} appended. */
    public static String tweetText(String extra) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder text = new StringBuilder("lt").append(SEQUENCE.incrementAndGet());
        for (int i = 0; i < 6; i++) {
            text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        text.append(" #").append(TAGS[random.nextInt(TAGS.length)]);
        return extra.isEmpty() ? text.toString() : text + " " + extra;
    }

    // ---------------------------------------------------------------- requests of the public API

    /** GET /api/v1/timelines/home as {@code #{token}}. */
    public static HttpRequestActionBuilder homeTimeline(String name) {
        return http(name).get("/api/v1/timelines/home")
                .header("Authorization", "Bearer #{token}")
                .check(status().is(200));
    }

    /** GET /api/v1/users/{#{targetId}}/tweets. */
    public static HttpRequestActionBuilder userTimeline(String name) {
        return http(name).get("/api/v1/users/#{targetId}/tweets").check(status().is(200));
    }

    /** POST /api/v1/tweets as {@code #{token}} with {@code #{text}}; saves the id as {@code tweetId}. */
    public static HttpRequestActionBuilder compose(String name) {
        return http(name).post("/api/v1/tweets")
                .header("Authorization", "Bearer #{token}")
                .body(StringBody("{\"text\":\"#{text}\"}"))
                .check(status().is(201), jsonPath("$.id").saveAs("tweetId"));
    }

    /** Percentiles (nearest rank) of a sample, for what Gatling cannot measure as a request. */
    public static String percentiles(String what, Collection<Long> millis) {
        if (millis.isEmpty()) {
            return what + ": no samples";
        }
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT, "%s: n=%d p50=%d ms p95=%d ms p99=%d ms max=%d ms", what, sorted.length,
                rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), sorted[sorted.length - 1]);
    }

    private static long rank(long[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
