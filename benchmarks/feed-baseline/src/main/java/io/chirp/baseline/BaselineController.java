package io.chirp.baseline;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.KeyValue;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;

/**
 * The two framework limits of BENCHMARKS.md.
 * <ul>
 *   <li>{@code GET /trivial}: a constant body, no store: what Micronaut alone serves.</li>
 *   <li>{@code GET /feed/{user}}: the bare hydrated home-timeline read, the same Redis work as
 *       Chirp's feed read and nothing else: {@code ZREVRANGE bfeed:{user} 0 19}, then one
 *       {@code MGET} of the 20 tweets (stored as JSON strings), answered as a JSON array,
 *       non-blocking (async Lettuce, one shared connection).</li>
 * </ul>
 */
@Controller
class BaselineController {

    private static final CompletableFuture<String> EMPTY = CompletableFuture.completedFuture("[]");

    private final RedisAsyncCommands<String, String> redis;
    private final int users;

    BaselineController(BaselineRedis redis) {
        this.redis = redis.async();
        this.users = redis.users();
    }

    @Get(uri = "/trivial", produces = MediaType.TEXT_PLAIN)
    String trivial() {
        return "ok";
    }

    @Get("/feed/{user}")
    @Produces(MediaType.APPLICATION_JSON)
    CompletionStage<String> feed(@PathVariable int user) {
        String key = BaselineRedis.feedKey(Math.floorMod(user, users));
        return redis.zrevrange(key, 0, 19).thenCompose(ids -> {
            if (ids.isEmpty()) {
                return EMPTY;
            }
            return redis.mget(ids.stream().map(BaselineRedis::tweetKey).toArray(String[]::new))
                    .thenApply(BaselineController::jsonArray);
        });
    }

    private static String jsonArray(List<KeyValue<String, String>> tweets) {
        StringBuilder json = new StringBuilder(tweets.size() * 200).append('[');
        for (KeyValue<String, String> tweet : tweets) {
            if (tweet.hasValue()) {
                if (json.length() > 1) {
                    json.append(',');
                }
                json.append(tweet.getValue());
            }
        }
        return json.append(']').toString();
    }
}
