package io.chirp.tweet.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongFunction;

import io.chirp.platform.events.LikeSagaReply;
import io.chirp.platform.events.Topics;
import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.events.TweetDeleted;
import io.chirp.platform.messaging.Inbox;
import io.chirp.platform.sharding.ShardJdbc;
import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.tweet.domain.Caller;
import io.chirp.tweet.domain.Counter;
import io.chirp.tweet.domain.Exceptions;
import io.chirp.tweet.domain.Tweet;
import io.chirp.tweet.domain.TweetRef;
import io.chirp.tweet.domain.TweetStore;
import jakarta.inject.Singleton;

/** {@link TweetStore} on the sharded PostgreSQL databases, routed by {@link ShardedDataSources}. */
@Singleton
class JdbcTweetStore implements TweetStore {

    /** The inbox consumer name under which counter changes are recorded (once each). */
    static final String COUNTERS_CONSUMER = "tweet-service.counters";
    /** The inbox consumer name under which like-saga steps are recorded (once per saga). */
    static final String LIKE_SAGA_CONSUMER = "tweet-service.like-saga";

    private final ShardedDataSources shards;
    private final ShardReads reads;
    private final OutboxEvents outbox;

    JdbcTweetStore(ShardedDataSources shards, ShardReads reads, OutboxEvents outbox) {
        this.shards = shards;
        this.reads = reads;
        this.outbox = outbox;
    }

    @Override
    public Tweet post(Tweet draft, Caller caller, Function<Tweet, TweetCreated> event) {
        return ShardJdbc.inTransaction(shards.forId(draft.authorId()), c -> {
            Tweet tweet = withUsername(draft, lockAuthor(c, caller));
            TweetSql.insert(c, tweet);
            TweetCreated created = event.apply(tweet);
            outbox.append(c, Topics.TWEET_EVENTS, created.eventId(), tweet.id(), created);
            return tweet;
        });
    }

    @Override
    public Retweet retweet(Tweet draft, Caller caller, Function<Tweet, TweetCreated> event) {
        return ShardJdbc.inTransaction(shards.forId(caller.userId()), c -> {
            String username = lockAuthor(c, caller);
            // a retweet undone between our insert and our select frees the row: then insert again
            for (int attempt = 0; attempt < 3; attempt++) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO retweets (user_id, tweet_id, retweet_id)"
                        + " VALUES (?, ?, ?) ON CONFLICT (user_id, tweet_id) DO NOTHING")) {
                    s.setLong(1, caller.userId());
                    s.setLong(2, draft.retweetOfId());
                    s.setLong(3, draft.id());
                    if (s.executeUpdate() == 1) {
                        Tweet tweet = withUsername(draft, username);
                        TweetSql.insert(c, tweet);
                        TweetCreated created = event.apply(tweet);
                        outbox.append(c, Topics.TWEET_EVENTS, created.eventId(), tweet.id(), created);
                        return new Retweet(tweet, true);
                    }
                }
                // retweeted before (maybe by a concurrent request, whose commit the insert waited for)
                Optional<Tweet> existing = existingRetweet(c, caller.userId(), draft.retweetOfId());
                if (existing.isPresent()) {
                    return new Retweet(existing.get(), false);
                }
            }
            throw new IllegalStateException("retweet of " + draft.retweetOfId() + " by " + caller.userId()
                    + " neither inserted nor found");
        });
    }

    private static Optional<Tweet> existingRetweet(Connection c, long userId, long originalId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT retweet_id FROM retweets WHERE user_id = ? AND tweet_id = ?")) {
            s.setLong(1, userId);
            s.setLong(2, originalId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? find(c, rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /**
     * Takes the author row from the token when missing, then locks it in share mode: an account
     * deletion (which updates the row) waits for this transaction, or this one sees the deletion.
     *
     * @return the author's username, null when unknown
     */
    private static String lockAuthor(Connection c, Caller caller) throws SQLException {
        if (caller.username() != null && !caller.username().isBlank()) {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO authors (user_id, username) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING")) {
                s.setLong(1, caller.userId());
                s.setString(2, caller.username());
                s.executeUpdate();
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT username, deleted_at IS NOT NULL FROM authors WHERE user_id = ? FOR SHARE")) {
            s.setLong(1, caller.userId());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                if (rs.getBoolean(2)) {
                    throw new Exceptions.AccountDeleted(caller.userId());
                }
                return rs.getString(1);
            }
        }
    }

    private static Tweet withUsername(Tweet t, String username) {
        return new Tweet(t.id(), t.authorId(), username, t.text(), t.replyToId(), t.retweetOfId(), t.hashtags(),
                t.mentions(), t.likeCount(), t.retweetCount(), t.replyCount(), t.createdAt());
    }

    @Override
    public Optional<Tweet> find(long id) {
        return ShardJdbc.read(shards.forId(id), c -> find(c, id));
    }

    private static Optional<Tweet> find(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(TweetSql.FIND)) {
            s.setLong(1, id);
            s.setObject(2, TweetSql.createdAt(id));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(TweetSql.tweet(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public Optional<TweetRef> findRef(long id) {
        return ShardJdbc.read(shards.forId(id), c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT author_id, reply_to_id, retweet_of_id,"
                    + " deleted_at IS NOT NULL FROM tweets WHERE id = ? AND created_at = ?")) {
                s.setLong(1, id);
                s.setObject(2, TweetSql.createdAt(id));
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(ref(id, rs)) : Optional.empty();
                }
            }
        });
    }

    private static TweetRef ref(long id, ResultSet rs) throws SQLException {
        long replyTo = rs.getLong(2);
        Long replyToId = rs.wasNull() ? null : replyTo;
        long retweetOf = rs.getLong(3);
        Long retweetOfId = rs.wasNull() ? null : retweetOf;
        return new TweetRef(id, rs.getLong(1), replyToId, retweetOfId, rs.getBoolean(4));
    }

    /**
     * A batch read (the home timeline's hydration): from the replicas while they are in rotation,
     * and the ids a replica did not have re-read from the primaries, since a tweet posted a moment
     * ago can be in a feed before a replica has replayed it (a deleted one may show for up to the
     * replica's lag).
     */
    @Override
    public Map<Long, Tweet> findAll(Collection<Long> ids) {
        Map<Long, Tweet> found = findAll(ids, true);
        if (!shards.replicas().isEmpty() && found.size() < ids.size()) {
            List<Long> missing = ids.stream().filter(id -> !found.containsKey(id)).distinct().toList();
            found.putAll(findAll(missing, false));
        }
        return found;
    }

    private Map<Long, Tweet> findAll(Collection<Long> ids, boolean allowingStale) {
        Map<Long, Tweet> found = new HashMap<>();
        var groups = shards.groupByPhysical(ids);
        ShardReads.Work<List<Long>, List<Tweet>> work = (physical, db, group) -> ShardJdbc.read(db, c -> {
            reads.count("batch", physical);
            try (PreparedStatement s = c.prepareStatement(TweetSql.FIND_ALL)) {
                s.setArray(1, c.createArrayOf("bigint", group.toArray()));
                s.setArray(2, c.createArrayOf("timestamptz",
                        group.stream().map(TweetSql::createdAt).distinct().toArray(OffsetDateTime[]::new)));
                List<Tweet> rows = new ArrayList<>(group.size());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(TweetSql.tweet(rs));
                    }
                }
                return rows;
            }
        });
        (allowingStale ? reads.onEachAllowingStale(groups, work) : reads.onEach(groups, work))
                .values().forEach(rows -> rows.forEach(t -> found.put(t.id(), t)));
        return found;
    }

    @Override
    public DeleteOutcome delete(long tweetId, long callerId, Function<TweetRef, TweetDeleted> event) {
        return ShardJdbc.inTransaction(shards.forId(tweetId), c -> {
            TweetRef ref;
            try (PreparedStatement s = c.prepareStatement("SELECT author_id, reply_to_id, retweet_of_id, false"
                    + " FROM tweets WHERE id = ? AND created_at = ? AND deleted_at IS NULL FOR UPDATE")) {
                s.setLong(1, tweetId);
                s.setObject(2, TweetSql.createdAt(tweetId));
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return new DeleteOutcome.NotFound();
                    }
                    ref = ref(tweetId, rs);
                }
            }
            if (ref.authorId() != callerId) {
                return new DeleteOutcome.NotTheAuthor();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE tweets SET deleted_at = now() WHERE id = ? AND created_at = ?")) {
                s.setLong(1, tweetId);
                s.setObject(2, TweetSql.createdAt(tweetId));
                s.executeUpdate();
            }
            if (ref.retweetOfId() != null) {
                try (PreparedStatement s = c.prepareStatement(
                        "DELETE FROM retweets WHERE user_id = ? AND tweet_id = ? AND retweet_id = ?")) {
                    s.setLong(1, callerId);
                    s.setLong(2, ref.retweetOfId());
                    s.setLong(3, tweetId);
                    s.executeUpdate();
                }
            }
            TweetRef deleted = new TweetRef(tweetId, ref.authorId(), ref.replyToId(), ref.retweetOfId(), true);
            TweetDeleted deletedEvent = event.apply(deleted);
            outbox.append(c, Topics.TWEET_EVENTS, deletedEvent.eventId(), tweetId, deletedEvent);
            return new DeleteOutcome.Deleted(deleted);
        });
    }

    @Override
    public List<Tweet> byAuthor(long authorId, OptionalLong before, int limit) {
        String physical = shards.physicalNameOf(authorId);
        // stale-tolerant: the replica unless the caller has just written (then the primary)
        return ShardJdbc.read(shards.forReadOn(physical), c -> {
            reads.count("user-timeline", physical);
            try (PreparedStatement s = c.prepareStatement(TweetSql.USER_TIMELINE)) {
                long below = before.orElse(Long.MAX_VALUE);
                s.setLong(1, authorId);
                s.setLong(2, below);
                s.setObject(3, TweetSql.createdAtBound(below));
                s.setInt(4, limit);
                return tweets(s);
            }
        });
    }

    @Override
    public List<Tweet> replies(long parentId, OptionalLong before, int limit) {
        List<Tweet> merged = new ArrayList<>();
        reads.onAll((physical, db) -> ShardJdbc.read(db, c -> {
            reads.count("replies", physical);
            try (PreparedStatement s = c.prepareStatement(TweetSql.REPLIES)) {
                s.setLong(1, parentId);
                s.setLong(2, before.orElse(Long.MAX_VALUE));
                s.setInt(3, limit);
                return tweets(s);
            }
        })).values().forEach(merged::addAll);
        merged.sort(Comparator.comparingLong(Tweet::id).reversed());
        return merged.size() > limit ? List.copyOf(merged.subList(0, limit)) : merged;
    }

    private static List<Tweet> tweets(PreparedStatement s) throws SQLException {
        List<Tweet> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(TweetSql.tweet(rs));
            }
        }
        return rows;
    }

    @Override
    public boolean applyCounter(long tweetId, Counter counter, int delta, UUID changeId) {
        String column = switch (counter) {
            case LIKES -> "like_count";
            case RETWEETS -> "retweet_count";
            case REPLIES -> "reply_count";
        };
        return ShardJdbc.inTransaction(shards.forId(tweetId), c -> {
            if (!Inbox.firstDelivery(c, COUNTERS_CONSUMER, changeId)) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE tweets SET " + column + " = " + column + " + ?"
                    + " WHERE id = ? AND created_at = ?")) {
                s.setInt(1, delta);
                s.setLong(2, tweetId);
                s.setObject(3, TweetSql.createdAt(tweetId));
                s.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean answerLike(long tweetId, int delta, UUID sagaId, Function<Boolean, LikeSagaReply> reply) {
        return ShardJdbc.inTransaction(shards.forId(tweetId), c -> {
            boolean live;
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM tweets WHERE id = ? AND created_at = ?"
                    + " AND deleted_at IS NULL FOR UPDATE")) {
                s.setLong(1, tweetId);
                s.setObject(2, TweetSql.createdAt(tweetId));
                try (ResultSet rs = s.executeQuery()) {
                    live = rs.next();
                }
            }
            if (live && Inbox.firstDelivery(c, LIKE_SAGA_CONSUMER, sagaId)) {
                try (PreparedStatement s = c.prepareStatement("UPDATE tweets SET like_count = like_count + ?"
                        + " WHERE id = ? AND created_at = ?")) {
                    s.setInt(1, delta);
                    s.setLong(2, tweetId);
                    s.setObject(3, TweetSql.createdAt(tweetId));
                    s.executeUpdate();
                }
            }
            LikeSagaReply answer = reply.apply(live);
            outbox.append(c, Topics.LIKE_SAGA_REPLIES, answer.eventId(), tweetId, answer);
            return live;
        });
    }

    @Override
    public int deleteBatchOf(long authorId, int batchSize, LongFunction<TweetDeleted> event) {
        return ShardJdbc.inTransaction(shards.forId(authorId), c -> {
            List<Long> deleted = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("UPDATE tweets t SET deleted_at = now() FROM (SELECT id,"
                    + " created_at FROM tweets WHERE author_id = ? AND deleted_at IS NULL ORDER BY id LIMIT ?"
                    + " FOR UPDATE) oldest WHERE t.id = oldest.id AND t.created_at = oldest.created_at RETURNING t.id")) {
                s.setLong(1, authorId);
                s.setInt(2, batchSize);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        deleted.add(rs.getLong(1));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM retweets WHERE user_id = ?")) {
                s.setLong(1, authorId);
                s.executeUpdate();
            }
            deleted.sort(Comparator.naturalOrder());
            for (long tweetId : deleted) {
                TweetDeleted deletedEvent = event.apply(tweetId);
                outbox.append(c, Topics.TWEET_EVENTS, deletedEvent.eventId(), tweetId, deletedEvent);
            }
            return deleted.size();
        });
    }
}
