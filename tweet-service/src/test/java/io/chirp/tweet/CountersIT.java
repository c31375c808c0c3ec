package io.chirp.tweet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.chirp.platform.events.Topics;
import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.events.TweetDeleted;
import io.chirp.platform.sharding.ChirpId;
import io.chirp.platform.sharding.IdGenerator;
import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.tweet.domain.Caller;
import io.chirp.tweet.domain.Tweet;
import io.chirp.tweet.domain.TweetStore;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;

/**
 * likeCount, retweetCount and replyCount under concurrency and across a crash: single-statement
 * increments, each change applied once.
 */
@RealEngines({Engine.POSTGRES, Engine.KAFKA})
@MicronautTest
class CountersIT extends ApiTestSupport {

    static final String COUNTERS_GROUP = "tweet-service.counters";

    @Inject
    ShardedDataSources shards;

    @Inject
    TweetStore store;

    @Inject
    IdGenerator ids;

    @Test
    void aHundredConcurrentRetweetsAndAHundredConcurrentRepliesLeaveExactCounts() throws Exception {
        TestUser author = newUser("star_");
        String original = post(author, "going viral").path("id").asText();
        List<TestUser> fans = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fans.add(newUser("f" + i + "_"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(200);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (TestUser fan : fans) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return retweet(fan, original);
                }));
                answers.add(pool.submit(() -> {
                    start.await();
                    return tryPost(fan, Map.of("text", "me too", "replyToId", original));
                }));
            }
            start.countDown();
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                assertEquals(201, response.status(), response.body());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(100, tweet(original).path("retweetCount").asInt());
        assertEquals(100, tweet(original).path("replyCount").asInt());
        assertEquals(100, countOnAllShards("SELECT count(*) FROM retweets WHERE tweet_id = " + original));
        assertEquals(100, countOnAllShards("SELECT count(*) FROM tweets WHERE reply_to_id = " + original));

        // the consumer of the same TweetCreated events applies nothing a second time
        KafkaTestSupport.awaitOutboxesDrained(shards.all().values());
        KafkaTestSupport.awaitConsumed(COUNTERS_GROUP, Topics.TWEET_EVENTS);
        assertEquals(100, tweet(original).path("retweetCount").asInt());
        assertEquals(100, tweet(original).path("replyCount").asInt());
    }

    @Test
    void tenConcurrentRetweetsByOneUserMakeOneRetweet() throws Exception {
        TestUser author = newUser("one_");
        TestUser fan = newUser("eager_");
        String original = post(author, "retweet me once").path("id").asText();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return retweet(fan, original);
                }));
            }
            start.countDown();
            Set<String> retweetIds = new HashSet<>();
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                assertEquals(201, response.status(), response.body());
                retweetIds.add(response.json().path("id").asText());
            }
            assertEquals(1, retweetIds.size(), "the same retweet for every request");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, tweet(original).path("retweetCount").asInt());
        assertEquals(1, countOnAllShards("SELECT count(*) FROM tweets WHERE retweet_of_id = " + original));
    }

    @Test
    void aCounterChangeLostWithACrashedRequestIsMadeFromTheEvent() {
        TestUser author = newUser("pa_");
        TestUser replier = newUser("re_");
        long parent = Long.parseLong(post(author, "parent").path("id").asText());
        // what a request leaves when it dies after committing the reply, before the parent's increment
        long replyId = ids.next(ChirpId.logicalShard(replier.id()));
        Tweet reply = new Tweet(replyId, replier.id(), null, "orphaned", parent, null, List.of(), List.of(), 0, 0, 0,
                ChirpId.timestamp(replyId));
        store.post(reply, new Caller(replier.id(), replier.username()), t -> new TweetCreated(UUID.randomUUID(),
                Instant.now(), TweetCreated.SCHEMA_VERSION, t.id(), t.authorId(), t.authorUsername(), t.text(),
                t.hashtags(), t.mentions(), t.replyToId(), t.retweetOfId(), t.createdAt()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(1, tweet(Long.toString(parent)).path("replyCount").asInt()));

        // the same for a delete
        store.delete(replyId, replier.id(), ref -> new TweetDeleted(UUID.randomUUID(), Instant.now(),
                TweetDeleted.SCHEMA_VERSION, ref.id(), ref.authorId()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(0, tweet(Long.toString(parent)).path("replyCount").asInt()));
    }

    private int countOnAllShards(String sql) throws Exception {
        int total = 0;
        for (DataSource db : shards.all().values()) {
            try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                total += rs.getInt(1);
            }
        }
        return total;
    }
}
