package io.chirp.tweet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.chirp.platform.sharding.ChirpId;
import io.chirp.platform.sharding.IdGenerator;
import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.tweet.store.TweetSql;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/**
 * The user timeline of a prolific author: 10 000 tweets paged through while the author keeps
 * posting, each page one index scan on the author's shard.
 */
@RealEngines({Engine.POSTGRES, Engine.KAFKA})
@MicronautTest
class UserTimelineIT extends ApiTestSupport {

    static final int SEEDED = 10_000;

    @Inject
    ShardedDataSources shards;

    @Inject
    IdGenerator ids;

    @Inject
    MeterRegistry meters;

    TestUser author;
    String firstPosted;
    List<Long> seeded;
    /** An occasional author on the same database: 50 tweets among the 10 000. */
    TestUser occasional;
    List<Long> occasionalTweets;

    /** One API post (so the author is known), then 10 000 rows (and 50 of another author) in one batched insert. */
    @BeforeAll
    void seed() throws Exception {
        author = newUser("pro_");
        occasional = newUserOn(ChirpId.logicalShard(author.id()), "occ_");
        firstPosted = post(author, "hello").path("id").asText();
        seeded = new ArrayList<>(SEEDED);
        occasionalTweets = new ArrayList<>();
        try (Connection c = shards.forId(author.id()).getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO tweets (id, author_id, text, hashtags, created_at) VALUES (?, ?, ?, '{seed}', ?)")) {
                for (int i = 0; seeded.size() < SEEDED; i++) {
                    TestUser by = i % 200 == 0 ? occasional : author;
                    long id = ids.next(ChirpId.logicalShard(by.id()));
                    (by == author ? seeded : occasionalTweets).add(id);
                    s.setLong(1, id);
                    s.setLong(2, by.id());
                    s.setString(3, "seeded #" + i);
                    s.setObject(4, TweetSql.createdAt(id));
                    s.addBatch();
                }
                s.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true); // statistics gathered in a transaction that is never committed are lost
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE tweets");
            }
        }
    }

    @Test
    void tenThousandTweetsPageThroughWithoutDuplicateOrGapWhileNewOnesArePosted() throws Exception {
        String path = "/api/v1/users/" + author.id() + "/tweets";
        String home = shards.physicalNameOf(author.id());
        String other = shards.all().keySet().stream().filter(n -> !n.equals(home)).findFirst().orElseThrow();

        List<String> posted = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean paging = new AtomicBoolean(true);
        AtomicReference<Throwable> posterFailure = new AtomicReference<>();
        Thread poster = new Thread(() -> {
            try {
                for (int i = 0; paging.get(); i++) {
                    posted.add(post(author, "live " + i).path("id").asText());
                }
            } catch (Throwable t) {
                posterFailure.set(t);
            }
        }, "concurrent-poster");
        poster.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> posted.size() >= 3);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        int postedBefore = posted.size();
        do {
            double homeBefore = pageQueries(home);
            double otherBefore = pageQueries(other);
            Response page = get(path + "?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), page.body());
            assertEquals(1.0, pageQueries(home) - homeBefore, "one query on the author's shard per page");
            assertEquals(0.0, pageQueries(other) - otherBefore, "no query on the other shard");
            JsonNode body = page.json();
            body.path("items").forEach(t -> seen.add(t.path("id").asText()));
            cursor = body.path("nextCursor").isNull() ? null : body.path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        int postedDuring = posted.size() - postedBefore;
        paging.set(false);
        poster.join();
        assertEquals(null, posterFailure.get());

        assertTrue(postedDuring > 0, "tweets were posted while paging");
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no duplicate");
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(Long.parseLong(seen.get(i)) < Long.parseLong(seen.get(i - 1)), "newest first, by id");
        }
        Set<String> expected = new HashSet<>();
        seeded.forEach(id -> expected.add(Long.toString(id)));
        expected.add(firstPosted);
        assertTrue(seen.containsAll(expected), "no gap: every tweet older than the first page is served");
        Set<String> extra = new HashSet<>(seen);
        extra.removeAll(expected);
        assertTrue(posted.containsAll(extra), "the only others are tweets posted before the first page was read");
        assertTrue(pages >= SEEDED / 100, pages + " pages");

        List<String> newest = new ArrayList<>();
        get(path + "?limit=5").json().path("items").forEach(t -> newest.add(t.path("id").asText()));
        assertEquals(posted.get(posted.size() - 1), newest.get(0), "the last post leads a fresh first page");
    }

    @Test
    void aTimelinePageIsAnIndexScanInPageOrderOnTheAuthorsShard() throws Exception {
        // an ordinary author among many: the (author_id, id DESC) index, read in page order
        List<JsonNode> occasionalPlan = explainPage(occasional.id(), occasionalTweets.get(30));
        assertIndexOrderedScan(occasionalPlan);
        for (JsonNode scan : tweetScans(occasionalPlan)) {
            assertTrue(scan.path("Index Name").asText().contains("author"),
                    "on the (author_id, id DESC) index: " + occasionalPlan);
        }
        // the author of nearly every row: PostgreSQL may walk the primary key instead, also in page order
        assertIndexOrderedScan(explainPage(author.id(), seeded.get(SEEDED / 2)));
    }

    /** The plan of {@link TweetSql#USER_TIMELINE}, as the store runs it, on the author's shard, flattened. */
    private List<JsonNode> explainPage(long authorId, long before) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        try (Connection c = shards.forId(authorId).getConnection();
             PreparedStatement s = c.prepareStatement("EXPLAIN (FORMAT JSON) " + TweetSql.USER_TIMELINE)) {
            s.setLong(1, authorId);
            s.setLong(2, before);
            s.setObject(3, TweetSql.createdAtBound(before));
            s.setInt(4, 21);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                collect(JSON.readTree(rs.getString(1)).get(0).path("Plan"), nodes);
            }
        }
        return nodes;
    }

    /** A LIMIT over index scans of the tweets partitions, and no sort: it stops after one page of rows. */
    private static void assertIndexOrderedScan(List<JsonNode> plan) {
        assertEquals("Limit", plan.get(0).path("Node Type").asText(), plan.toString());
        assertFalse(tweetScans(plan).isEmpty(), plan.toString());
        for (JsonNode scan : tweetScans(plan)) {
            assertTrue(scan.path("Node Type").asText().startsWith("Index Scan"), "index scans only: " + plan);
        }
        assertTrue(plan.stream().noneMatch(n -> n.path("Node Type").asText().contains("Sort")
                        && !n.path("Node Type").asText().equals("Merge Append")),
                "the index order is the page order: " + plan);
    }

    private static List<JsonNode> tweetScans(List<JsonNode> plan) {
        return plan.stream().filter(n -> n.path("Relation Name").asText().startsWith("tweets")).toList();
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        into.add(node);
        node.path("Plans").forEach(child -> collect(child, into));
    }

    private double pageQueries(String physical) {
        Counter counter = meters.find("tweet.shard.queries").tags("query", "user-timeline", "shard", physical).counter();
        return counter == null ? 0 : counter.count();
    }
}
