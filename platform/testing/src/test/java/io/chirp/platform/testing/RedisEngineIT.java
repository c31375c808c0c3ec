package io.chirp.platform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

@RealEngines(Engine.REDIS)
class RedisEngineIT {

    @Test
    void sortedSetKeepsNewestFirstAndTrims() {
        RedisClient client = RedisClient.create(SharedEngines.get().redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            String key = TestNames.unique("feed");
            for (int i = 1; i <= 10; i++) {
                redis.zadd(key, i, "tweet-" + i);
            }
            redis.zremrangebyrank(key, 0, -6); // keep the 5 highest scores
            assertEquals(5L, redis.zcard(key));
            assertEquals(List.of("tweet-10", "tweet-9", "tweet-8"), redis.zrevrange(key, 0, 2));
            List<ScoredValue<String>> oldest = redis.zrangebyscoreWithScores(key, Range.create(0, 6));
            assertEquals(List.of(ScoredValue.just(6, "tweet-6")), oldest);
        } finally {
            client.shutdown();
        }
    }
}
