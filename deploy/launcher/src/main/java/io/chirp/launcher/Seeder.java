package io.chirp.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./chirp seed --graph FILE [--directed] [--tweets K] [--concurrency N]}: loads a real
 * social graph through the public API, as users would: registers {@code user_<n>} for every
 * node, follows along every edge (both ways for an undirected graph), then posts K tweets per
 * user with hashtags and mentions mixed in, and last reads every user's home timeline once so
 * that their feed exists (fan-out on write only appends to existing feeds). Idempotent: an existing user logs in, a follow is a
 * PUT, and a user who already has K tweets posts none.
 * <p>
 * Edge lists as Network Repository and SNAP publish them: {@code a b} per line (extra columns
 * ignored), {@code %} or {@code #} comments, an optional Matrix Market header line.
 */
public final class Seeder {

    public static final String PASSWORD = "chirp-seed-password";
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"(\\d+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");
    /** Sentences from public-domain books (resource {@code chirp/seed/corpus.txt}). */
    private static final List<String> CORPUS = corpus();
    private static final String[] TAGS = {"reed", "chirp", "campus", "music", "exams", "coffee", "sharding", "kafka"};

    /** An undirected (or directed) edge list. */
    public record Graph(Set<Integer> nodes, List<int[]> follows) {
    }

    private final URI base;
    private final PrintStream out;
    private final HttpClient http;
    private final int concurrency;
    private final Map<Integer, String> tokens = new ConcurrentHashMap<>();

    public Seeder(URI base, PrintStream out, int concurrency) {
        this.base = base;
        this.out = out;
        this.concurrency = concurrency;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static Graph read(Path file, boolean directed) throws IOException {
        Set<Integer> nodes = new LinkedHashSet<>();
        List<int[]> follows = new ArrayList<>();
        boolean header = true;
        for (String raw : Files.readAllLines(file)) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("%") || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("[\\s,]+");
            if (parts.length < 2) {
                continue;
            }
            if (header && parts.length >= 3 && file.toString().endsWith(".mtx")) {
                header = false; // Matrix Market size line: rows cols entries
                continue;
            }
            header = false;
            int a = Integer.parseInt(parts[0]);
            int b = Integer.parseInt(parts[1]);
            if (a == b) {
                continue;
            }
            nodes.add(a);
            nodes.add(b);
            follows.add(new int[] {a, b});
            if (!directed) {
                follows.add(new int[] {b, a});
            }
        }
        return new Graph(nodes, follows);
    }

    /**
     * A synthetic follower graph for scale tests, directed (follower → followee): every user
     * follows {@code followsPerUser} others chosen by preferential attachment (the chance to be
     * chosen is proportional to followers + {@code followsPerUser}, the directed form of
     * Barabási–Albert 1999), which gives a power-law in-degree (exponent about 3) as in real social
     * networks; in addition, every user follows each of the
     * {@code celebrities} first nodes with probability 0.6 (and no one else does), so they stand far above the rest
     * (set {@code CHIRP_CELEBRITY_THRESHOLD} below {@code 0.6 × users} to make them celebrities).
     * Nodes are numbered 1..users; the same {@code seed} gives the same graph.
     */
    public static Graph synthetic(int users, int celebrities, int followsPerUser, long seed) {
        if (users < 2 || celebrities < 0 || celebrities >= users || followsPerUser < 1) {
            throw new IllegalArgumentException("a synthetic graph needs users >= 2, 0 <= celebrities < users, follows >= 1");
        }
        java.util.Random random = new java.util.Random(seed);
        Set<Integer> nodes = new LinkedHashSet<>();
        List<int[]> follows = new ArrayList<>();
        List<Integer> byFollowers = new ArrayList<>(); // a node appears once per follower, plus followsPerUser times
        for (int node = 1; node <= users; node++) {
            nodes.add(node);
            Set<Integer> chosen = new java.util.HashSet<>();
            for (int c = 1; c <= celebrities; c++) {
                if (c != node && random.nextDouble() < 0.6) {
                    chosen.add(c);
                }
            }
            int wanted = Math.min(followsPerUser, node - 1);
            int picked = 0;
            for (int tries = 0; picked < wanted && tries < wanted * 8; tries++) {
                int followee = byFollowers.get(random.nextInt(byFollowers.size()));
                if (followee != node && followee > celebrities && chosen.add(followee)) {
                    picked++;
                }
            }
            for (int followee : chosen) {
                follows.add(new int[] {node, followee});
                if (followee > celebrities) {
                    byFollowers.add(followee);
                }
            }
            for (int k = 0; k < followsPerUser; k++) {
                byFollowers.add(node); // attractiveness = followers + followsPerUser: the in-degree tail of BA, exponent 3
            }
        }
        return new Graph(nodes, follows);
    }

    /** The access token of each seeded node's user, filled by {@link #seed}. */
    public Map<Integer, String> tokens() {
        return tokens;
    }

    /** Seeds the graph; returns node → user id. */
    public Map<Integer, Long> seed(Graph graph, int tweetsPerUser) throws Exception {
        Map<Integer, Long> ids = new ConcurrentHashMap<>();
        run("users", new ArrayList<>(graph.nodes()), node -> {
            String username = "user_" + node;
            HttpResponse<String> created = post("/api/v1/users", "{\"username\":\"" + username + "\",\"email\":\""
                    + username + "@seed.chirp\",\"password\":\"" + PASSWORD + "\",\"displayName\":\"User " + node + "\"}", null);
            if (created.statusCode() != 201 && created.statusCode() != 409) {
                throw new IllegalStateException("registering " + username + ": " + created.statusCode() + " " + created.body());
            }
            HttpResponse<String> token = post("/api/v1/auth/token", "{\"username\":\"" + username + "\",\"password\":\""
                    + PASSWORD + "\"}", null);
            tokens.put(node, match(TOKEN, token.body(), "token of " + username));
            ids.put(node, Long.parseLong(match(ID, get("/api/v1/users/by-username/" + username).body(), "id of " + username)));
        });
        run("follows", graph.follows(), edge -> {
            HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/api/v1/users/me/following/"
                    + ids.get(edge[1]))).PUT(HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + tokens.get(edge[0])));
            if (response.statusCode() != 204) {
                throw new IllegalStateException("follow " + edge[0] + " -> " + edge[1] + ": " + response.statusCode());
            }
        });
        if (tweetsPerUser > 0) {
            List<Integer> nodes = new ArrayList<>(graph.nodes());
            run("tweets", nodes, node -> {
                // the user's own timeline, not the profile's tweetCount (eventually consistent), says
                // how many of this user's tweets a previous run already posted
                Matcher earlier = ID.matcher(get("/api/v1/users/" + ids.get(node) + "/tweets?limit="
                        + Math.max(1, Math.min(100, tweetsPerUser))).body());
                int existing = 0;
                while (earlier.find()) {
                    existing++;
                }
                for (int i = existing; i < tweetsPerUser; i++) {
                    HttpResponse<String> posted = post("/api/v1/tweets", "{\"text\":\"" + text(node, i, nodes) + "\"}",
                            tokens.get(node));
                    if (posted.statusCode() != 201) {
                        throw new IllegalStateException("tweet by user_" + node + ": " + posted.statusCode() + " " + posted.body());
                    }
                }
            });
        }
        // fan-out on write only appends to feeds that exist; one read builds each user's feed, so
        // the first reads of a load test measure the steady state, not a rebuild per user
        run("feeds", new ArrayList<>(graph.nodes()), node -> {
            HttpRequest.Builder read = HttpRequest.newBuilder(base.resolve("/api/v1/timelines/home?limit=1")).GET()
                    .header("Authorization", "Bearer " + tokens.get(node));
            HttpResponse<String> response = send(read);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("home timeline of user_" + node + ": " + response.statusCode());
            }
        });
        return ids;
    }

    /**
     * The text of tweet {@code i} of {@code node}: a sentence of the corpus, a hashtag, and every
     * other tweet a mention; deterministic per (user, tweet), JSON-escaped, under 280 code points.
     */
    static String text(int node, int i, List<Integer> nodes) {
        int seed = node * 31 + i;
        StringBuilder text = new StringBuilder(CORPUS.get(Math.floorMod(seed * 7919, CORPUS.size())));
        text.append(" #").append(TAGS[Math.floorMod(seed, TAGS.length)]);
        if (i % 2 == 0) {
            text.append(" @user_").append(nodes.get(Math.floorMod(seed * 17, nodes.size())));
        }
        return text.toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static List<String> corpus() {
        try (var in = Seeder.class.getResourceAsStream("/chirp/seed/corpus.txt")) {
            if (in == null) {
                throw new IllegalStateException("chirp/seed/corpus.txt is missing from the launcher jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs {@code task} over {@code items} with bounded concurrency and a progress line. */
    private <T> void run(String what, List<T> items, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    task.run(item);
                    int n = done.incrementAndGet();
                    if (n % Math.max(1, items.size() / 20) == 0 || n == items.size()) {
                        progress(what, n, items.size(), start);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        out.println();
    }

    private synchronized void progress(String what, int done, int total, long start) {
        int width = 30;
        int filled = (int) ((long) done * width / total);
        out.printf(Locale.ROOT, "\r  %-7s [%s%s] %d/%d  %.1f s", what, "#".repeat(filled), ".".repeat(width - filled),
                done, total, (System.nanoTime() - start) / 1e9);
        out.flush();
    }

    @FunctionalInterface
    interface Task<T> {
        void run(T item) throws Exception;
    }

    private HttpResponse<String> post(String path, String json, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /**
     * Sends with a timeout, retrying a 503 (a saga step or a store catching up) with backoff and
     * a 429 (rate limited) after the {@code Retry-After} the gateway gave, a few times each.
     */
    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = null;
        for (int attempt = 0; attempt < 8; attempt++) {
            response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 429) {
                long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
                Thread.sleep(Math.max(1, Math.min(seconds, 30)) * 1000);
            } else if (response.statusCode() == 503) {
                Thread.sleep(200L << Math.min(attempt, 4));
            } else {
                return response;
            }
        }
        return response;
    }

    private static String match(Pattern pattern, String body, String what) {
        Matcher m = pattern.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no " + what + " in " + body);
        }
        return m.group(1);
    }
}
