package io.chirp.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.chirp.faults.Client.Outcome;

/**
 * A steady mixed workload through the gateway (an open workload: operations are started at
 * fixed rates whether or not earlier ones answered), which remembers everything the system
 * acknowledged so that the invariants can be checked after each fault.
 * <p>
 * Per second: 8 home-timeline reads, 3 user-timeline reads, 2 tweet reads, 3 posts, 3 likes,
 * 1 search, and every 2 s one short-lived account's whole life: register (registration saga),
 * follow two members (follow saga), like a tweet (like saga), delete the account (account-deletion
 * saga). The members are a fixed group that follows each other in a ring (each follows the next
 * {@value #FOLLOWED} members), set up before the workload starts.
 */
final class Workload implements AutoCloseable {

    static final int MEMBERS = 40;
    static final int FOLLOWED = 8;
    private static final String PASSWORD = "correct horse battery";

    /** A member of the workload: a user id and a token. */
    record Member(String id, String username, String token) {
    }

    /** A tweet the API acknowledged with 201, and the word only it contains (to find it in search). */
    record AckedTweet(String id, String authorId, String word) {
    }

    /** A short-lived account: what the API acknowledged for it. */
    static final class Transient {
        final String id;
        final Set<String> followed = ConcurrentHashMap.newKeySet();
        final Set<String> liked = ConcurrentHashMap.newKeySet();
        volatile boolean deletionAccepted;

        Transient(String id) {
            this.id = id;
        }
    }

    /** What one window of the run saw: requests by operation and status, and the answers no fault may cause. */
    static final class Window {
        final String name;
        final Map<String, Integer> byStatus = new java.util.TreeMap<>();
        final List<String> forbidden = new ArrayList<>();
        int requests;
        int forbiddenCount;
        long maxMillis;

        Window(String name) {
            this.name = name;
        }

        synchronized void record(String operation, Outcome outcome) {
            requests++;
            maxMillis = Math.max(maxMillis, outcome.millis());
            String status = outcome.status() == 0 ? outcome.error().equals("hang") ? "hang" : "no answer"
                    : Integer.toString(outcome.status());
            byStatus.merge(status, 1, Integer::sum);
            if (!outcome.ok() && !outcome.unavailableWithRetryAfter()) {
                forbiddenCount++;
                if (forbidden.size() < 8) {
                    forbidden.add(operation + ": " + outcome);
                }
            }
        }

        synchronized int errors() {
            return requests - byStatus.entrySet().stream().filter(e -> e.getKey().startsWith("2"))
                    .mapToInt(Map.Entry::getValue).sum();
        }

        /** Non-2xx answers by status, e.g. {@code 503×12}; "-" when there were none. */
        synchronized String errorsByStatus() {
            StringBuilder text = new StringBuilder();
            byStatus.forEach((status, count) -> {
                if (!status.startsWith("2")) {
                    text.append(text.length() == 0 ? "" : ", ").append(status).append('×').append(count);
                }
            });
            return text.length() == 0 ? "-" : text.toString();
        }
    }

    private final Client client;
    private final String run;
    private final List<Member> members = new ArrayList<>();
    private final Map<String, Set<String>> followersOf = new LinkedHashMap<>();
    private final List<AckedTweet> tweets = new CopyOnWriteArrayList<>();
    private final Map<String, Set<String>> likers = new ConcurrentHashMap<>();
    private final List<Transient> transients = new CopyOnWriteArrayList<>();
    private final Map<String, Window> windows = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicLong words = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(32, 32, 1, TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(400), runnable -> {
                Thread thread = new Thread(runnable, "workload");
                thread.setDaemon(true);
                return thread;
            }, (task, pool) -> {
                dropped.incrementAndGet();
                inFlight.decrementAndGet();
            });
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "workload-ticks");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running;
    private volatile boolean closed;
    private volatile Window window;

    Workload(Client client) {
        this.client = client;
        this.run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        this.window = new Window("setup");
        windows.put(window.name, window);
    }

    /** Registers the members and the ring of follows between them, through the API. */
    void setUp() {
        for (int i = 0; i < MEMBERS; i++) {
            String username = "f" + run + "_m" + i;
            Outcome created = call("register", () -> client.post("/api/v1/users", account(username), null));
            require(created.status() == 201, "register " + username, created);
            Outcome token = call("token", () -> client.post("/api/v1/auth/token", login(username), null));
            require(token.status() == 200, "token " + username, token);
            members.add(new Member(created.body().path("id").asText(), username,
                    token.body().path("accessToken").asText()));
        }
        for (Member member : members) {
            followersOf.put(member.id(), new LinkedHashSet<>());
        }
        for (int i = 0; i < MEMBERS; i++) {
            Member follower = members.get(i);
            for (int k = 1; k <= FOLLOWED; k++) {
                Member followee = members.get((i + k) % MEMBERS);
                Outcome follow = call("follow", () -> client.put("/api/v1/users/me/following/" + followee.id(),
                        follower.token()));
                require(follow.status() == 204, "follow", follow);
                followersOf.get(followee.id()).add(follower.id());
            }
        }
    }

    /** Starts the operations at their rates (periods in ms). */
    void start() {
        running = true;
        every(125, this::readHome);
        every(333, this::readUserTimeline);
        every(500, this::readTweet);
        every(333, this::post);
        every(333, this::like);
        every(1000, this::search);
        every(2000, this::accountLife);
    }

    /** Starts a new window: every outcome from now on is counted in it. */
    Window window(String name) {
        Window next = new Window(name);
        windows.put(name, next);
        window = next;
        return next;
    }

    /** Stops starting operations and waits (up to 30 s) for those under way, so the acknowledged set is final. */
    void pause() {
        running = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((inFlight.get() > 0 || !workers.getQueue().isEmpty()) && System.nanoTime() < deadline) {
            sleep(50);
        }
    }

    void resume() {
        running = true;
    }

    List<Member> members() {
        return members;
    }

    /** Member id → the ids of the members who follow them (the ring). */
    Map<String, Set<String>> followersOf() {
        return followersOf;
    }

    List<AckedTweet> tweets() {
        return tweets;
    }

    /** Tweet id → the users whose like of it was acknowledged (204). */
    Map<String, Set<String>> likers() {
        return likers;
    }

    List<Transient> transients() {
        return transients;
    }

    Map<String, Window> windows() {
        return windows;
    }

    /** Operations not started because 400 were already waiting (an outage that slowed everything). */
    int dropped() {
        return dropped.get();
    }

    private void readHome() {
        Member reader = randomMember();
        call("home", () -> client.get("/api/v1/timelines/home?limit=20", reader.token()));
    }

    private void readUserTimeline() {
        call("user timeline", () -> client.get("/api/v1/users/" + randomMember().id() + "/tweets?limit=20", null));
    }

    private void readTweet() {
        AckedTweet tweet = randomTweet();
        if (tweet != null) {
            call("tweet", () -> client.get("/api/v1/tweets/" + tweet.id(), null));
        }
    }

    private void post() {
        Member author = randomMember();
        if (tweets.stream().filter(t -> t.authorId().equals(author.id())).count() >= 120) {
            return; // stays below the 200 posts per author a rebuilt feed reads back
        }
        String word = "fw" + run + "x" + Long.toString(words.incrementAndGet(), 36);
        Outcome posted = call("post", () -> client.post("/api/v1/tweets",
                "{\"text\":\"fault drill " + word + " #faults\"}", author.token()));
        if (posted.status() == 201) {
            tweets.add(new AckedTweet(posted.body().path("id").asText(), author.id(), word));
        }
    }

    private void like() {
        AckedTweet tweet = randomTweet();
        if (tweet == null) {
            return;
        }
        Member liker = randomMember();
        Outcome liked = call("like", () -> client.put("/api/v1/tweets/" + tweet.id() + "/likes/me", liker.token()));
        if (liked.status() == 204) {
            likers.computeIfAbsent(tweet.id(), id -> ConcurrentHashMap.newKeySet()).add(liker.id());
        }
    }

    private void search() {
        AckedTweet tweet = randomTweet();
        if (tweet != null) {
            call("search", () -> client.get("/api/v1/search/tweets?q=" + tweet.word(), null));
        }
    }

    /** One short-lived account's life; it ends at the first step the API did not acknowledge. */
    private void accountLife() {
        String username = "f" + run + "_t" + words.incrementAndGet();
        Outcome created = call("register", () -> client.post("/api/v1/users", account(username), null));
        if (created.status() != 201) {
            return;
        }
        Transient account = new Transient(created.body().path("id").asText());
        transients.add(account);
        Outcome token = call("token", () -> client.post("/api/v1/auth/token", login(username), null));
        if (token.status() != 200) {
            return;
        }
        String bearer = token.body().path("accessToken").asText();
        for (int i = 0; i < 2; i++) {
            Member followee = randomMember();
            Outcome follow = call("follow", () -> client.put("/api/v1/users/me/following/" + followee.id(), bearer));
            if (follow.status() != 204) {
                return;
            }
            account.followed.add(followee.id());
        }
        AckedTweet tweet = randomTweet();
        if (tweet != null) {
            Outcome liked = call("like", () -> client.put("/api/v1/tweets/" + tweet.id() + "/likes/me", bearer));
            if (liked.status() != 204) {
                return;
            }
            account.liked.add(tweet.id());
            likers.computeIfAbsent(tweet.id(), id -> ConcurrentHashMap.newKeySet()).add(account.id);
        }
        Outcome deletion = call("delete account", () -> client.delete("/api/v1/users/me", bearer));
        if (deletion.status() == 202) {
            account.deletionAccepted = true;
        }
    }

    /**
     * Starts a burst of {@code count} account lives at once, so that several sagas are under way
     * when a service is killed.
     */
    void burstOfAccountLives(int count) {
        for (int i = 0; i < count; i++) {
            submit(this::accountLife);
        }
    }

    private Outcome call(String operation, Supplier<Outcome> exchange) {
        Window started = window;
        Outcome outcome = exchange.get();
        if (!closed) { // a call cut short by close() (its thread interrupted) is not an answer of the system
            started.record(operation, outcome);
        }
        return outcome;
    }

    private void every(long periodMillis, Runnable operation) {
        ticks.scheduleAtFixedRate(() -> {
            if (running) {
                submit(operation);
            }
        }, ThreadLocalRandom.current().nextLong(periodMillis), periodMillis, TimeUnit.MILLISECONDS);
    }

    private void submit(Runnable operation) {
        inFlight.incrementAndGet();
        workers.execute(() -> {
            try {
                operation.run();
            } finally {
                inFlight.decrementAndGet();
            }
        }); // when 400 wait already, the rejection handler counts it as dropped
    }

    private Member randomMember() {
        return members.get(ThreadLocalRandom.current().nextInt(members.size()));
    }

    private AckedTweet randomTweet() {
        List<AckedTweet> snapshot = tweets;
        return snapshot.isEmpty() ? null : snapshot.get(ThreadLocalRandom.current().nextInt(snapshot.size()));
    }

    private static String account(String username) {
        return "{\"username\":\"" + username + "\",\"email\":\"" + username + "@faults.chirp\",\"password\":\""
                + PASSWORD + "\"}";
    }

    private static String login(String username) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}";
    }

    private static void require(boolean condition, String what, Outcome outcome) {
        if (!condition) {
            throw new AssertionError(what + ": " + outcome);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        running = false;
        closed = true;
        ticks.shutdownNow();
        workers.shutdownNow();
    }
}
