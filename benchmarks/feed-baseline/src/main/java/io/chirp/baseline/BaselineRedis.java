package io.chirp.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * The baseline's Redis: one Lettuce connection, and the data set written on start when it is
 * not there yet: {@code users} feeds of {@code feed-size} tweet ids (a sorted set by id, as
 * Chirp's feeds) over {@code tweets} cached tweets of about 200 bytes of JSON each.
 */
@Singleton
final class BaselineRedis {

    private static final Logger LOG = LoggerFactory.getLogger(BaselineRedis.class);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final int users;

    BaselineRedis(@Value("${baseline.redis-uri}") String uri, @Value("${baseline.users}") int users,
                  @Value("${baseline.feed-size}") int feedSize, @Value("${baseline.tweets}") int tweets) {
        this.client = RedisClient.create(uri);
        this.connection = client.connect();
        this.users = users;
        populate(feedSize, tweets);
    }

    static String feedKey(int user) {
        return "bfeed:" + user;
    }

    static String tweetKey(String id) {
        return "btweet:" + id;
    }

    RedisAsyncCommands<String, String> async() {
        return connection.async();
    }

    int users() {
        return users;
    }

    private void populate(int feedSize, int tweets) {
        RedisAsyncCommands<String, String> redis = connection.async();
        if (connection.sync().exists(feedKey(users - 1)) == 1) {
            return;
        }
        LOG.info("writing {} feeds of {} over {} tweets", users, feedSize, tweets);
        List<RedisFuture<?>> pending = new ArrayList<>();
        Map<String, String> batch = new HashMap<>();
        long firstId = 1_000_000_000_000L;
        for (int t = 0; t < tweets; t++) {
            long id = firstId + t;
            batch.put(tweetKey(Long.toString(id)), "{\"id\":\"" + id + "\",\"authorId\":\"" + (t % users)
                    + "\",\"text\":\"" + "a tweet of about two hundred bytes, like the cached tweets of Chirp ".repeat(2)
                    + "\",\"createdAt\":\"2026-11-23T00:00:00Z\",\"likeCount\":0,\"retweetCount\":0,\"replyCount\":0}");
            if (batch.size() == 1000) {
                pending.add(redis.mset(batch));
                batch = new HashMap<>();
            }
        }
        if (!batch.isEmpty()) {
            pending.add(redis.mset(batch));
        }
        Random random = new Random(42);
        for (int user = 0; user < users; user++) {
            @SuppressWarnings("unchecked")
            ScoredValue<String>[] entries = new ScoredValue[feedSize];
            for (int i = 0; i < feedSize; i++) {
                long id = firstId + random.nextInt(tweets);
                entries[i] = ScoredValue.just(id, Long.toString(id));
            }
            pending.add(redis.zadd(feedKey(user), entries));
        }
        LettuceFutures.awaitAll(java.time.Duration.ofMinutes(2), pending.toArray(new RedisFuture[0]));
    }

    @PreDestroy
    void close() {
        connection.close();
        client.shutdown();
    }
}
