package io.chirp.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import io.chirp.faults.Client.Outcome;
import io.chirp.faults.Workload.AckedTweet;
import io.chirp.faults.Workload.Member;
import io.chirp.faults.Workload.Transient;

/**
 * The invariants that must hold once the cluster has converged after a fault, checked through
 * the public API (and each service's metrics and Kafka's offsets for what the API cannot show):
 * <ul>
 *   <li>every tweet acknowledged with 201 exists, is in its author's user timeline, in every
 *       follower's home timeline, and found by search;</li>
 *   <li>every like acknowledged is listed exactly once, the listing's count equals its rows and
 *       the tweet's {@code likeCount} equals them too; a deleted account's likes are gone;</li>
 *   <li>every follow acknowledged is listed, follower and following counts equal the listings, a
 *       deleted account is 404 and in no listing;</li>
 *   <li>no saga is under way (every {@code chirp_saga_instances} sample of a non-terminal state is
 *       0), no outbox row is unsent ({@code chirp_outbox_backlog} 0), no consumer group lags.</li>
 * </ul>
 * One instance is one convergence wait: what was found to hold is not asked again, so each
 * {@link #violations()} call only re-reads what did not hold yet.
 */
final class Invariants {

    private static final int SHOWN = 5;

    private final Client client;
    private final Workload workload;
    private final Observed observed;
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

    Invariants(Client client, Workload workload, Observed observed) {
        this.client = client;
        this.workload = workload;
        this.observed = observed;
    }

    /** What does not hold now, grouped: {@code invariant → examples}; empty when everything holds. */
    Map<String, List<String>> violations() {
        Map<String, List<String>> violations = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> checks = new ArrayList<>();
            for (AckedTweet tweet : workload.tweets()) {
                checks.add(() -> checkTweet(tweet, violations));
            }
            Map<String, Set<String>> userTimelines = new ConcurrentHashMap<>();
            Map<String, Set<String>> homeTimelines = new ConcurrentHashMap<>();
            for (Member member : workload.members()) {
                checks.add(() -> {
                    Set<String> own = ids("/api/v1/users/" + member.id() + "/tweets", null, violations);
                    Set<String> home = ids("/api/v1/timelines/home", member.token(), violations);
                    if (own != null) {
                        userTimelines.put(member.id(), own);
                    }
                    if (home != null) {
                        homeTimelines.put(member.id(), home);
                    }
                    checkFollows(member, violations);
                    return null;
                });
            }
            workload.likers().forEach((tweetId, likers) -> checks.add(() -> checkLikes(tweetId, likers, violations)));
            for (Transient account : workload.transients()) {
                if (account.deletionAccepted && !confirmed.contains("gone " + account.id)) {
                    checks.add(() -> {
                        Outcome user = client.get("/api/v1/users/" + account.id, null);
                        if (user.status() == 404) {
                            confirmed.add("gone " + account.id);
                        } else {
                            add(violations, "a deleted account is 404", account.id + ": " + user);
                        }
                        return null;
                    });
                }
            }
            runAll(pool, checks);
            checkTimelines(userTimelines, homeTimelines, violations);
        } finally {
            pool.shutdownNow();
        }
        checkMetricsAndLag(violations);
        return new java.util.TreeMap<>(violations);
    }

    private Void checkTweet(AckedTweet tweet, Map<String, List<String>> violations) {
        if (!confirmed.contains("tweet " + tweet.id())) {
            Outcome read = client.get("/api/v1/tweets/" + tweet.id(), null);
            if (read.status() == 200) {
                confirmed.add("tweet " + tweet.id());
            } else {
                add(violations, "an acknowledged tweet exists", tweet.id() + ": " + read);
            }
        }
        if (!confirmed.contains("search " + tweet.id())) {
            Outcome found = client.get("/api/v1/search/tweets?q=" + tweet.word() + "&limit=5", null);
            if (found.status() == 200 && items(found).stream().anyMatch(i -> i.path("id").asText().equals(tweet.id()))) {
                confirmed.add("search " + tweet.id());
            } else {
                add(violations, "an acknowledged tweet is found by search", tweet.word() + " → " + tweet.id() + ": "
                        + (found.status() == 200 ? "not among the results" : found));
            }
        }
        return null;
    }

    private void checkTimelines(Map<String, Set<String>> userTimelines, Map<String, Set<String>> homeTimelines,
            Map<String, List<String>> violations) {
        for (AckedTweet tweet : workload.tweets()) {
            Set<String> own = userTimelines.get(tweet.authorId());
            if (own != null && !own.contains(tweet.id())) {
                add(violations, "an acknowledged tweet is in its author's user timeline",
                        tweet.id() + " by " + tweet.authorId());
            }
            for (String follower : workload.followersOf().get(tweet.authorId())) {
                Set<String> home = homeTimelines.get(follower);
                if (home != null && !home.contains(tweet.id())) {
                    add(violations, "an acknowledged tweet is in every follower's home timeline",
                            tweet.id() + " by " + tweet.authorId() + " missing for " + follower);
                }
            }
        }
    }

    private void checkFollows(Member member, Map<String, List<String>> violations) {
        if (confirmed.contains("follows " + member.id())) {
            return;
        }
        Outcome user = client.get("/api/v1/users/" + member.id(), null);
        Set<String> followers = ids("/api/v1/users/" + member.id() + "/followers", null, violations);
        Set<String> following = ids("/api/v1/users/" + member.id() + "/following", null, violations);
        if (user.status() != 200 || followers == null || following == null) {
            add(violations, "follower and following counts equal the listings", member.id() + ": not readable: " + user);
            return;
        }
        boolean holds = true;
        Set<String> expected = new HashSet<>(workload.followersOf().get(member.id()));
        Set<String> gone = new HashSet<>();
        for (Transient account : workload.transients()) {
            if (account.followed.contains(member.id())) {
                (account.deletionAccepted ? gone : expected).add(account.id);
            }
        }
        for (String id : expected) {
            if (!followers.contains(id)) {
                holds = add(violations, "an acknowledged follow is listed", id + " → " + member.id());
            }
        }
        for (String id : gone) {
            if (followers.contains(id)) {
                holds = add(violations, "a deleted account is in no listing", id + " still follows " + member.id());
            }
        }
        long followerCount = user.body().path("followersCount").asLong(-1);
        long followingCount = user.body().path("followingCount").asLong(-1);
        if (followerCount != followers.size() || followingCount != following.size()) {
            holds = add(violations, "follower and following counts equal the listings", member.id() + ": followersCount "
                    + followerCount + " vs " + followers.size() + " listed, followingCount " + followingCount + " vs "
                    + following.size() + " listed");
        }
        if (holds) {
            confirmed.add("follows " + member.id());
        }
    }

    private Void checkLikes(String tweetId, Set<String> acknowledged, Map<String, List<String>> violations) {
        if (confirmed.contains("likes " + tweetId)) {
            return null;
        }
        Set<String> deleted = new HashSet<>();
        for (Transient account : workload.transients()) {
            if (account.deletionAccepted) {
                deleted.add(account.id);
            }
        }
        List<String> listed = new ArrayList<>();
        String cursor = null;
        long count = -1;
        do {
            Outcome page = client.get("/api/v1/tweets/" + tweetId + "/likes?limit=100"
                    + (cursor == null ? "" : "&cursor=" + cursor), null);
            if (page.status() != 200) {
                add(violations, "every acknowledged like is counted exactly once", tweetId + ": likes not readable: " + page);
                return null;
            }
            count = page.body().path("count").asLong(-1);
            items(page).forEach(item -> listed.add(item.path("userId").asText()));
            cursor = page.body().path("nextCursor").isTextual() ? page.body().path("nextCursor").asText() : null;
        } while (cursor != null);
        Outcome tweet = client.get("/api/v1/tweets/" + tweetId, null);
        long likeCount = tweet.status() == 200 ? tweet.body().path("likeCount").asLong(-1) : -1;
        boolean holds = true;
        if (new HashSet<>(listed).size() != listed.size()) {
            holds = add(violations, "every acknowledged like is counted exactly once", tweetId + ": a liker listed twice: " + listed);
        }
        for (String liker : acknowledged) {
            if (deleted.contains(liker) ? listed.contains(liker) : !listed.contains(liker)) {
                holds = add(violations, deleted.contains(liker) ? "a deleted account's likes are gone"
                        : "every acknowledged like is counted exactly once", tweetId + " liked by " + liker);
            }
        }
        if (count != listed.size() || likeCount != listed.size()) {
            holds = add(violations, "like counts equal rows", tweetId + ": count " + count + ", likeCount " + likeCount
                    + ", rows " + listed.size());
        }
        if (holds) {
            confirmed.add("likes " + tweetId);
        }
        return null;
    }

    private void checkMetricsAndLag(Map<String, List<String>> violations) {
        List<Observed.Sample> sagas = observed.samples("chirp_saga_instances");
        if (sagas.isEmpty()) {
            add(violations, "every saga is in a terminal state", "no chirp_saga_instances metric answered");
        }
        for (Observed.Sample sample : sagas) {
            String state = sample.labels().getOrDefault("state", "");
            if (!Observed.TERMINAL_SAGA_STATES.contains(state) && sample.value() != 0) {
                add(violations, "every saga is in a terminal state", sample.service() + " " + sample.labels()
                        + " = " + (long) sample.value());
            }
        }
        List<Observed.Sample> backlog = observed.samples("chirp_outbox_backlog");
        if (backlog.isEmpty()) {
            add(violations, "no outbox row is left unsent", "no chirp_outbox_backlog metric answered");
        }
        for (Observed.Sample sample : backlog) {
            if (sample.value() != 0) {
                add(violations, "no outbox row is left unsent", sample.service() + " " + sample.labels() + " = "
                        + sample.value());
            }
        }
        observed.consumerLag().forEach((group, lag) -> {
            if (lag != 0) {
                add(violations, "no consumer group lags (none stuck on a poison message)", group + ": " + lag);
            }
        });
    }

    /** Every id of a paged listing (all pages, 100 per page), or null (and a violation) when it cannot be read. */
    private Set<String> ids(String path, String token, Map<String, List<String>> violations) {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            Outcome page = client.get(path + "?limit=100" + (cursor == null ? "" : "&cursor=" + cursor), token);
            if (page.status() != 200) {
                add(violations, "listings are readable after convergence", path + ": " + page);
                return null;
            }
            items(page).forEach(item -> ids.add(item.path("id").asText()));
            cursor = page.body().path("nextCursor").isTextual() ? page.body().path("nextCursor").asText() : null;
        } while (cursor != null);
        return ids;
    }

    private static List<JsonNode> items(Outcome page) {
        List<JsonNode> items = new ArrayList<>();
        page.body().path("items").forEach(items::add);
        return items;
    }

    /** Records one example (at most {@value #SHOWN} per invariant, the rest counted) and returns false. */
    private static boolean add(Map<String, List<String>> violations, String invariant, String example) {
        List<String> examples = violations.computeIfAbsent(invariant, k -> Collections.synchronizedList(new ArrayList<>()));
        synchronized (examples) {
            if (examples.size() < SHOWN) {
                examples.add(example);
            } else if (examples.size() == SHOWN) {
                examples.add("…");
            }
        }
        return false;
    }

    private static void runAll(ExecutorService pool, List<Callable<Void>> checks) {
        List<Future<Void>> futures = new ArrayList<>();
        for (Callable<Void> check : checks) {
            futures.add(pool.submit(check));
        }
        for (Future<Void> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } catch (ExecutionException e) {
                throw new AssertionError("an invariant check failed to run", e.getCause());
            }
        }
    }

    /** A short summary of violations for a progress line: {@code invariant (n)}. */
    static String summary(Map<String, List<String>> violations) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        violations.forEach((invariant, examples) -> counts.put(invariant, examples.size()));
        return counts.toString();
    }
}
