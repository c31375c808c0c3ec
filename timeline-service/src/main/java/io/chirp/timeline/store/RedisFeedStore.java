package io.chirp.timeline.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.chirp.platform.sharding.ChirpId;
import io.chirp.timeline.config.TimelineProperties;
import io.chirp.timeline.domain.FeedStore;
import io.chirp.timeline.domain.TweetView;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.json.JsonMapper;
import io.chirp.platform.web.ResumeInCallerContext;
import jakarta.inject.Singleton;

/**
 * {@link FeedStore} on Redis, with async Lettuce (the home-timeline read and the fan-out never
 * block a thread). Keys:
 * <ul>
 *   <li>{@code feed:{userId}} — sorted set, member = tweet id, score = the id's millisecond
 *       timestamp (exact as a double, unlike the 64-bit id), capped at {@code feedSize}; a
 *       sentinel member {@code 0} marks an existing but empty feed; expires when unread for
 *       {@code inactiveAfter}, and fan-out writes only feeds that exist;</li>
 *   <li>{@code posts:{userId}} — the author's recent tweet ids (capped), for backfill,
 *       rebuilds and the celebrity merge;</li>
 *   <li>{@code followers:{id}}, {@code following:{id}} — sets, the follow read model built from
 *       UserFollowed/UserUnfollowed, so a post never waits on user-service;</li>
 *   <li>{@code celebrities} — set of authors at or above the threshold;</li>
 *   <li>{@code tweet:{id}} — hydrated tweet JSON with a short TTL.</li>
 * </ul>
 * Multi-key scripts assume one Redis node (or, in Redis Cluster, one hash slot per batch).
 */
@Singleton
@ResumeInCallerContext // continuations of its stages keep the request's id and trace
class RedisFeedStore implements FeedStore {

    /** Adds ARGV[2] with score ARGV[1] to each existing feed in KEYS, trimmed to ARGV[3]. */
    private static final String PUSH = """
            for _, key in ipairs(KEYS) do
              if redis.call('EXISTS', key) == 1 then
                redis.call('ZADD', key, ARGV[1], ARGV[2])
                redis.call('ZREMRANGEBYRANK', key, 0, -(tonumber(ARGV[3]) + 1))
              end
            end
            return #KEYS
            """;
    /** Removes ARGV[1] from every sorted set in KEYS. */
    private static final String REMOVE = """
            for _, key in ipairs(KEYS) do redis.call('ZREM', key, ARGV[1]) end
            return #KEYS
            """;
    /** Merges KEYS[2] into KEYS[1] if KEYS[1] exists, trimmed to ARGV[1]. */
    private static final String BACKFILL = """
            if redis.call('EXISTS', KEYS[1]) == 1 then
              redis.call('ZUNIONSTORE', KEYS[1], 2, KEYS[1], KEYS[2], 'AGGREGATE', 'MAX')
              redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[1]) + 1))
            end
            return 0
            """;
    /** Removes every member of KEYS[2] from KEYS[1]. */
    private static final String UNMERGE = """
            local ids = redis.call('ZRANGE', KEYS[2], 0, -1)
            for _, id in ipairs(ids) do redis.call('ZREM', KEYS[1], id) end
            return #ids
            """;
    /** Rebuilds KEYS[1] from the posts in KEYS[2..], plus the sentinel; trims to ARGV[1]; expires in ARGV[2] s. */
    private static final String REBUILD = """
            redis.call('DEL', KEYS[1])
            if #KEYS > 1 then
              local sources = {}
              for i = 2, #KEYS do sources[#sources + 1] = KEYS[i] end
              redis.call('ZUNIONSTORE', KEYS[1], #sources, unpack(sources))
            end
            redis.call('ZADD', KEYS[1], '-inf', '0')
            redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[1]) + 1))
            redis.call('EXPIRE', KEYS[1], ARGV[2])
            return redis.call('ZCARD', KEYS[1])
            """;

    private static final String CELEBRITIES = "celebrities";
    /**
     * {@code follows-known:{id}}: this user's follow edges were read whole from user-service
     * (possibly none). Only {@link #learnFollowing} sets it, after the edges: a UserFollowed
     * event adds its edge but never marks the set complete, so after Redis lost its data, edges
     * learned from events alone are not mistaken for all of them (the fault-injection suite
     * found that: feeds rebuilt from a partial set missed followees' tweets for good).
     */
    private static final String FOLLOWS_KNOWN_PREFIX = "follows-known:";
    /**
     * {@code posts-known:{id}}: this author's recent posts were read whole from tweet-service
     * (possibly none). Only {@link #recordPosts} sets it, after the posts; a TweetCreated event
     * appends its post without it, for the same reason as {@link #FOLLOWS_KNOWN_PREFIX}.
     */
    private static final String POSTS_KNOWN_PREFIX = "posts-known:";

    private final RedisAsyncCommands<String, String> redis;
    private final TimelineProperties properties;
    private final JsonMapper json;
    private final Counter roundTrips;
    private final DistributionSummary batchSizes;

    RedisFeedStore(StatefulRedisConnection<String, String> connection, TimelineProperties properties, JsonMapper json,
                   MeterRegistry metrics) {
        this.redis = connection.async();
        this.properties = properties;
        this.json = json;
        this.roundTrips = Counter.builder("chirp.timeline.fanout.round.trips")
                .description("Redis round trips spent writing fan-out batches").register(metrics);
        this.batchSizes = DistributionSummary.builder("chirp.timeline.fanout.batch.size")
                .description("feeds addressed per fan-out round trip").register(metrics);
    }

    static String feed(long userId) {
        return "feed:" + userId;
    }

    static String posts(long userId) {
        return "posts:" + userId;
    }

    static String followersKey(long userId) {
        return "followers:" + userId;
    }

    static String followingKey(long userId) {
        return "following:" + userId;
    }

    static String tweetKey(long tweetId) {
        return "tweet:" + tweetId;
    }

    static double score(long tweetId) {
        return ChirpId.timestamp(tweetId).toEpochMilli();
    }

    @Override
    public CompletionStage<Void> recordPost(long authorId, long tweetId, TweetView tweet) {
        return all(
                redis.zadd(posts(authorId), score(tweetId), Long.toString(tweetId)),
                redis.zremrangebyrank(posts(authorId), 0, -(properties.postsPerAuthor() + 1)),
                redis.set(tweetKey(tweetId), write(tweet), SetArgs.Builder.ex(properties.tweetCacheTtl())));
    }

    @Override
    public CompletionStage<Void> pushToFeeds(Collection<Long> userIds, long tweetId) {
        return inBatches(userIds, batch -> redis.<Long>eval(PUSH, ScriptOutputType.INTEGER, batch,
                Double.toString(score(tweetId)), Long.toString(tweetId), Integer.toString(properties.feedSize())));
    }

    @Override
    public CompletionStage<Void> removeEverywhere(long authorId, long tweetId, Collection<Long> userIds) {
        String member = Long.toString(tweetId);
        return all(redis.zrem(posts(authorId), member), redis.del(tweetKey(tweetId)))
                .thenCompose(v -> inBatches(userIds, batch -> redis.<Long>eval(REMOVE, ScriptOutputType.INTEGER,
                        batch, member)));
    }

    /** One script call (one round trip) per batch of feeds; batches run concurrently. */
    private CompletionStage<Void> inBatches(Collection<Long> userIds,
                                            java.util.function.Function<String[], CompletionStage<Long>> call) {
        List<Long> ids = new ArrayList<>(userIds);
        List<CompletableFuture<Long>> calls = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += properties.fanoutBatch()) {
            List<Long> slice = ids.subList(from, Math.min(ids.size(), from + properties.fanoutBatch()));
            String[] keys = slice.stream().map(RedisFeedStore::feed).toArray(String[]::new);
            roundTrips.increment();
            batchSizes.record(keys.length);
            calls.add(call.apply(keys).toCompletableFuture());
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    @Override
    public CompletionStage<List<Long>> followers(long userId) {
        return redis.smembers(followersKey(userId)).thenApply(RedisFeedStore::toLongs);
    }

    @Override
    public CompletionStage<java.util.Optional<Set<Long>>> following(long userId) {
        return redis.exists(FOLLOWS_KNOWN_PREFIX + userId).thenCompose(n -> n == 0
                ? CompletableFuture.completedFuture(java.util.Optional.<Set<Long>>empty())
                : redis.smembers(followingKey(userId)).thenApply(m -> java.util.Optional.of(new HashSet<>(toLongs(m)))));
    }

    @Override
    public CompletionStage<Void> learnFollowing(long userId, Collection<Long> followees, Collection<Long> celebrities) {
        List<CompletionStage<?>> steps = new ArrayList<>();
        for (long followee : followees) {
            steps.add(redis.sadd(followingKey(userId), Long.toString(followee)));
            steps.add(redis.sadd(followersKey(followee), Long.toString(userId)));
        }
        celebrities.forEach(c -> steps.add(redis.sadd(CELEBRITIES, Long.toString(c))));
        // last (one connection runs commands in order), and even when there are no edges (an
        // empty set does not exist in Redis): the edges are complete from here on
        steps.add(redis.set(FOLLOWS_KNOWN_PREFIX + userId, "1"));
        return all(steps.toArray(CompletionStage[]::new));
    }

    @Override
    public CompletionStage<Set<Long>> authorsWithoutPosts(Collection<Long> authorIds) {
        List<Long> authors = new ArrayList<>(authorIds);
        List<CompletableFuture<Long>> checks = new ArrayList<>();
        authors.forEach(a -> checks.add(redis.exists(POSTS_KNOWN_PREFIX + a).toCompletableFuture()));
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Set<Long> missing = new HashSet<>();
            for (int i = 0; i < authors.size(); i++) {
                if (checks.get(i).join() == 0) {
                    missing.add(authors.get(i));
                }
            }
            return missing;
        });
    }

    @Override
    public CompletionStage<Void> recordPosts(long authorId, List<TweetView> tweets) {
        List<CompletionStage<?>> steps = new ArrayList<>();
        for (TweetView tweet : tweets) {
            long id = Long.parseLong(tweet.id());
            // a union with what events appended meanwhile, so a post that arrives during the read is kept
            steps.add(redis.zadd(posts(authorId), score(id), tweet.id()));
        }
        steps.add(redis.zremrangebyrank(posts(authorId), 0, -(properties.postsPerAuthor() + 1)));
        steps.add(redis.set(POSTS_KNOWN_PREFIX + authorId, "1"));
        return all(steps.toArray(CompletionStage[]::new)).thenCompose(v -> cacheTweets(tweets));
    }

    @Override
    public CompletionStage<Set<Long>> celebritiesFollowedBy(long userId) {
        return redis.sinter(followingKey(userId), CELEBRITIES).thenApply(members -> new HashSet<>(toLongs(members)));
    }

    @Override
    public CompletionStage<Long> addFollow(long followerId, long followeeId) {
        return redis.sadd(followersKey(followeeId), Long.toString(followerId))
                .thenCompose(v -> redis.sadd(followingKey(followerId), Long.toString(followeeId)))
                .thenCompose(v -> redis.scard(followersKey(followeeId)));
    }

    @Override
    public CompletionStage<Void> removeFollow(long followerId, long followeeId) {
        return all(redis.srem(followersKey(followeeId), Long.toString(followerId)),
                redis.srem(followingKey(followerId), Long.toString(followeeId)));
    }

    @Override
    public CompletionStage<Void> setCelebrity(long userId, boolean celebrity) {
        return celebrity ? all(redis.sadd(CELEBRITIES, Long.toString(userId)))
                : all(redis.srem(CELEBRITIES, Long.toString(userId)));
    }

    @Override
    public CompletionStage<Boolean> isCelebrity(long userId) {
        return redis.sismember(CELEBRITIES, Long.toString(userId));
    }

    @Override
    public CompletionStage<Void> backfill(long followerId, long followeeId) {
        return all(redis.eval(BACKFILL, ScriptOutputType.INTEGER, new String[] {feed(followerId), posts(followeeId)},
                Integer.toString(properties.feedSize())));
    }

    @Override
    public CompletionStage<Void> unmerge(long followerId, long followeeId) {
        return all(redis.eval(UNMERGE, ScriptOutputType.INTEGER, feed(followerId), posts(followeeId)));
    }

    @Override
    public CompletionStage<Boolean> feedExists(long userId) {
        return redis.exists(feed(userId)).thenApply(n -> n > 0);
    }

    @Override
    public CompletionStage<Void> rebuildFeed(long userId, Collection<Long> authors) {
        List<String> keys = new ArrayList<>();
        keys.add(feed(userId));
        authors.forEach(a -> keys.add(posts(a)));
        return all(redis.eval(REBUILD, ScriptOutputType.INTEGER, keys.toArray(String[]::new),
                Integer.toString(properties.feedSize()), Long.toString(properties.inactiveAfter().toSeconds())));
    }

    @Override
    public CompletionStage<List<Long>> readFeed(long userId, Long beforeId, int count) {
        String key = feed(userId);
        return newestBefore(key, beforeId, count)
                .thenCompose(ids -> redis.expire(key, properties.inactiveAfter().toSeconds()).thenApply(v -> ids));
    }

    @Override
    public CompletionStage<List<Long>> readPosts(long authorId, Long beforeId, int count) {
        return newestBefore(posts(authorId), beforeId, count);
    }

    /**
     * Members older than {@code beforeId}, newest first. Scores are milliseconds, so the range
     * ends at the cursor's millisecond and same-millisecond members at or after the cursor are
     * dropped here; a few extra are read to make up for them.
     */
    private CompletionStage<List<Long>> newestBefore(String key, Long beforeId, int count) {
        Range<Double> range = beforeId == null ? Range.create(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)
                : Range.create(Double.NEGATIVE_INFINITY, score(beforeId));
        return redis.zrevrangebyscore(key, range, Limit.create(0, count + 16)).thenApply(members -> {
            List<Long> ids = new ArrayList<>(count);
            for (String member : members) {
                long id = Long.parseLong(member);
                if (id != 0 && (beforeId == null || id < beforeId) && ids.size() < count) {
                    ids.add(id);
                }
            }
            return ids;
        });
    }

    @Override
    public CompletionStage<Map<Long, TweetView>> cachedTweets(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        String[] keys = ids.stream().map(RedisFeedStore::tweetKey).toArray(String[]::new);
        return redis.mget(keys).thenApply(values -> {
            Map<Long, TweetView> found = new HashMap<>();
            for (KeyValue<String, String> value : values) {
                if (value.hasValue()) {
                    found.put(Long.parseLong(value.getKey().substring("tweet:".length())), read(value.getValue()));
                }
            }
            return found;
        });
    }

    @Override
    public CompletionStage<Void> cacheTweets(Collection<TweetView> tweets) {
        List<CompletionStage<?>> writes = new ArrayList<>();
        for (TweetView tweet : tweets) {
            writes.add(redis.set(tweetKey(Long.parseLong(tweet.id())), write(tweet),
                    SetArgs.Builder.ex(properties.tweetCacheTtl())));
        }
        return all(writes.toArray(CompletionStage[]::new));
    }

    @Override
    public CompletionStage<Void> forgetUser(long userId) {
        String id = Long.toString(userId);
        return redis.smembers(followingKey(userId)).thenCompose(followees -> {
            List<CompletionStage<?>> steps = new ArrayList<>();
            followees.forEach(f -> steps.add(redis.srem(followersKey(Long.parseLong(f)), id)));
            return all(steps.toArray(CompletionStage[]::new));
        }).thenCompose(v -> redis.smembers(followersKey(userId))).thenCompose(followers -> {
            List<CompletionStage<?>> steps = new ArrayList<>();
            followers.forEach(f -> steps.add(redis.srem(followingKey(Long.parseLong(f)), id)));
            steps.add(redis.del(feed(userId), posts(userId), followingKey(userId), followersKey(userId),
                    FOLLOWS_KNOWN_PREFIX + userId, POSTS_KNOWN_PREFIX + userId));
            steps.add(redis.srem(CELEBRITIES, id));
            return all(steps.toArray(CompletionStage[]::new));
        });
    }

    private static List<Long> toLongs(Collection<String> members) {
        List<Long> ids = new ArrayList<>(members.size());
        members.forEach(m -> ids.add(Long.parseLong(m)));
        return ids;
    }

    private static CompletionStage<Void> all(CompletionStage<?>... stages) {
        return CompletableFuture.allOf(java.util.Arrays.stream(stages).map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new));
    }

    private String write(TweetView tweet) {
        try {
            return json.writeValueAsString(tweet);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TweetView read(String value) {
        try {
            return json.readValue(value, TweetView.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
