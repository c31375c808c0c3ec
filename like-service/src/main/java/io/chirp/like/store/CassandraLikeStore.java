package io.chirp.like.store;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;

import io.chirp.like.config.CassandraProperties;
import io.chirp.like.domain.LikeSaga;
import io.chirp.like.domain.LikeStore;
import io.chirp.platform.web.InvalidRequestException;
import jakarta.inject.Singleton;

/**
 * {@link LikeStore} on Cassandra with prepared statements. One table per query, because of
 * denormalization a like is written to {@code likes_by_tweet} (the claim, by LWT) and
 * {@code likes_by_user}, and counted in {@code like_counts}. Sagas in flight live in one
 * small partition of {@code like_sagas} (rows are deleted when a saga ends).
 */
@Singleton
class CassandraLikeStore implements LikeStore {

    static final int SAGA_BUCKET = 0;

    private final CqlSession session;
    private final PreparedStatement insertSaga;
    private final PreparedStatement selectSaga;
    private final PreparedStatement updateSaga;
    private final PreparedStatement deleteSaga;
    private final PreparedStatement selectSagas;
    private final PreparedStatement claim;
    private final PreparedStatement selectLike;
    private final PreparedStatement release;
    private final PreparedStatement releaseOfSaga;
    private final PreparedStatement insertUserLike;
    private final PreparedStatement deleteUserLike;
    private final PreparedStatement bump;
    private final PreparedStatement selectCount;
    private final PreparedStatement countRows;
    private final PreparedStatement likers;
    private final PreparedStatement likesBy;
    private final PreparedStatement dropLikes;
    private final PreparedStatement dropCount;

    CassandraLikeStore(CqlSession session, CassandraProperties properties, LikeSchema schema) {
        this.session = session;
        String ks = properties.keyspace() + ".";
        schema.ensure();
        insertSaga = session.prepare("INSERT INTO " + ks + "like_sagas (bucket, saga_id, tweet_id, user_id, delta,"
                + " state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        selectSaga = session.prepare("SELECT saga_id, tweet_id, user_id, delta, state, updated_at FROM " + ks
                + "like_sagas WHERE bucket = ? AND saga_id = ?");
        updateSaga = session.prepare("UPDATE " + ks + "like_sagas SET state = ?, updated_at = ? WHERE bucket = ?"
                + " AND saga_id = ?");
        deleteSaga = session.prepare("DELETE FROM " + ks + "like_sagas WHERE bucket = ? AND saga_id = ?");
        selectSagas = session.prepare("SELECT saga_id, tweet_id, user_id, delta, state, updated_at FROM " + ks
                + "like_sagas WHERE bucket = ?");
        claim = session.prepare("INSERT INTO " + ks + "likes_by_tweet (tweet_id, user_id, liked_at, saga_id)"
                + " VALUES (?, ?, ?, ?) IF NOT EXISTS");
        selectLike = session.prepare("SELECT liked_at, saga_id FROM " + ks + "likes_by_tweet WHERE tweet_id = ?"
                + " AND user_id = ?");
        release = session.prepare("DELETE FROM " + ks + "likes_by_tweet WHERE tweet_id = ? AND user_id = ? IF EXISTS");
        releaseOfSaga = session.prepare("DELETE FROM " + ks + "likes_by_tweet WHERE tweet_id = ? AND user_id = ?"
                + " IF saga_id = ?");
        insertUserLike = session.prepare("INSERT INTO " + ks + "likes_by_user (user_id, liked_at, tweet_id)"
                + " VALUES (?, ?, ?)");
        deleteUserLike = session.prepare("DELETE FROM " + ks + "likes_by_user WHERE user_id = ? AND liked_at = ?"
                + " AND tweet_id = ?");
        bump = session.prepare("UPDATE " + ks + "like_counts SET count = count + ? WHERE tweet_id = ?");
        selectCount = session.prepare("SELECT count FROM " + ks + "like_counts WHERE tweet_id = ?");
        countRows = session.prepare("SELECT count(*) FROM " + ks + "likes_by_tweet WHERE tweet_id = ?");
        likers = session.prepare("SELECT tweet_id, user_id, liked_at FROM " + ks + "likes_by_tweet WHERE tweet_id = ?");
        likesBy = session.prepare("SELECT tweet_id, user_id, liked_at FROM " + ks + "likes_by_user WHERE user_id = ?");
        dropLikes = session.prepare("DELETE FROM " + ks + "likes_by_tweet WHERE tweet_id = ?");
        dropCount = session.prepare("DELETE FROM " + ks + "like_counts WHERE tweet_id = ?");
    }

    @Override
    public LikeSaga startSaga(long tweetId, long userId, int delta) {
        LikeSaga saga = new LikeSaga(UUID.randomUUID(), tweetId, userId, delta, LikeSaga.State.STARTED, Instant.now());
        session.execute(insertSaga.bind(SAGA_BUCKET, saga.id(), tweetId, userId, delta, saga.state().name(),
                saga.updatedAt()));
        return saga;
    }

    @Override
    public Optional<LikeSaga> saga(UUID sagaId) {
        return Optional.ofNullable(session.execute(selectSaga.bind(SAGA_BUCKET, sagaId)).one()).map(this::saga);
    }

    @Override
    public void markSaga(UUID sagaId, LikeSaga.State state) {
        session.execute(updateSaga.bind(state.name(), Instant.now(), SAGA_BUCKET, sagaId));
    }

    @Override
    public void endSaga(UUID sagaId) {
        session.execute(deleteSaga.bind(SAGA_BUCKET, sagaId));
    }

    @Override
    public List<LikeSaga> stalledSagas(Duration olderThan) {
        Instant limit = Instant.now().minus(olderThan);
        List<LikeSaga> stalled = new ArrayList<>();
        for (Row row : session.execute(selectSagas.bind(SAGA_BUCKET))) {
            LikeSaga saga = saga(row);
            if (saga.updatedAt().isBefore(limit)) {
                stalled.add(saga);
            }
        }
        return stalled;
    }

    private LikeSaga saga(Row row) {
        return new LikeSaga(row.getUuid("saga_id"), row.getLong("tweet_id"), row.getLong("user_id"),
                row.getInt("delta"), LikeSaga.State.valueOf(row.getString("state")), row.getInstant("updated_at"));
    }

    @Override
    public boolean claim(long tweetId, long userId, Instant likedAt, UUID sagaId) {
        return session.execute(claim.bind(tweetId, userId, likedAt, sagaId)).wasApplied();
    }

    @Override
    public Optional<UUID> likedBySaga(long tweetId, long userId) {
        return Optional.ofNullable(session.execute(selectLike.bind(tweetId, userId)).one()).map(r -> r.getUuid("saga_id"));
    }

    @Override
    public Optional<Instant> likedAt(long tweetId, long userId) {
        return Optional.ofNullable(session.execute(selectLike.bind(tweetId, userId)).one())
                .map(r -> r.getInstant("liked_at"));
    }

    @Override
    public boolean release(long tweetId, long userId, Optional<UUID> onlySaga) {
        BoundStatement statement = onlySaga.map(s -> releaseOfSaga.bind(tweetId, userId, s))
                .orElseGet(() -> release.bind(tweetId, userId));
        return session.execute(statement).wasApplied();
    }

    @Override
    public void recordUserLike(long userId, Instant likedAt, long tweetId) {
        session.execute(insertUserLike.bind(userId, likedAt, tweetId));
    }

    @Override
    public void removeUserLike(long userId, Instant likedAt, long tweetId) {
        session.execute(deleteUserLike.bind(userId, likedAt, tweetId));
    }

    @Override
    public void count(long tweetId, int delta) {
        session.execute(bump.bind((long) delta, tweetId));
    }

    @Override
    public long countOf(long tweetId) {
        Row row = session.execute(selectCount.bind(tweetId)).one();
        return row == null ? 0 : row.getLong("count");
    }

    @Override
    public void reconcileCount(long tweetId) {
        long rows = session.execute(countRows.bind(tweetId)).one().getLong(0);
        long counted = countOf(tweetId);
        if (rows != counted) {
            count(tweetId, (int) (rows - counted));
        }
    }

    @Override
    public Page<Like> likers(long tweetId, Optional<String> after, int limit) {
        return page(likers.bind(tweetId), after, limit);
    }

    @Override
    public Page<Like> likesBy(long userId, Optional<String> after, int limit) {
        return page(likesBy.bind(userId), after, limit);
    }

    /** A page by the driver's paging state, which is opaque and stable under inserts. */
    private Page<Like> page(BoundStatement statement, Optional<String> after, int limit) {
        BoundStatement paged = statement.setPageSize(limit);
        if (after.isPresent()) {
            try {
                paged = paged.setPagingState(ByteBuffer.wrap(Base64.getUrlDecoder().decode(after.get())));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("cursor", "is not a cursor returned by this API");
            }
        }
        ResultSet rs;
        try {
            rs = session.execute(paged);
        } catch (com.datastax.oss.driver.api.core.servererrors.QueryValidationException
                 | com.datastax.oss.driver.api.core.servererrors.ProtocolError | IllegalArgumentException e) {
            if (after.isEmpty()) {
                throw e;
            }
            // a paging state that Cassandra does not recognise: not one of ours
            throw new InvalidRequestException("cursor", "is not a cursor returned by this API");
        }
        List<Like> items = new ArrayList<>();
        // only this page: iterating further would fetch the next pages
        for (int left = rs.getAvailableWithoutFetching(); left > 0; left--) {
            Row row = rs.one();
            items.add(new Like(row.getLong("tweet_id"), row.getLong("user_id"), row.getInstant("liked_at")));
        }
        ByteBuffer next = rs.getExecutionInfo().getPagingState();
        Optional<String> nextCursor = Optional.ofNullable(next).map(b -> {
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        });
        return new Page<>(items, nextCursor);
    }

    @Override
    public List<Like> allLikersOf(long tweetId) {
        List<Like> all = new ArrayList<>();
        session.execute(likers.bind(tweetId)).forEach(r -> all.add(new Like(r.getLong("tweet_id"), r.getLong("user_id"),
                r.getInstant("liked_at"))));
        return all;
    }

    @Override
    public List<Like> allLikesBy(long userId) {
        List<Like> all = new ArrayList<>();
        session.execute(likesBy.bind(userId)).forEach(r -> all.add(new Like(r.getLong("tweet_id"), r.getLong("user_id"),
                r.getInstant("liked_at"))));
        return all;
    }

    @Override
    public void dropTweet(long tweetId) {
        session.execute(dropLikes.bind(tweetId));
        session.execute(dropCount.bind(tweetId));
    }
}
