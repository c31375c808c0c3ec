package io.chirp.like.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Likes, one table per query (Cassandra): {@code likes_by_tweet} (who liked a tweet),
 * {@code likes_by_user} (what a user liked, newest first), {@code like_counts} (counters),
 * {@code like_sagas} (sagas in flight). Counters are not idempotent, so a like is first
 * claimed with a lightweight transaction and the counter moves only when the claim applied.
 */
public interface LikeStore {

    /** Records a new saga as STARTED and returns it. */
    LikeSaga startSaga(long tweetId, long userId, int delta);

    /** The saga, if still in flight. */
    Optional<LikeSaga> saga(UUID sagaId);

    /** Moves a saga to {@code state}. */
    void markSaga(UUID sagaId, LikeSaga.State state);

    /** Forgets a finished saga. */
    void endSaga(UUID sagaId);

    /** Sagas not touched for {@code olderThan}: their process may have died. */
    List<LikeSaga> stalledSagas(Duration olderThan);

    /** {@code INSERT … IF NOT EXISTS} into likes_by_tweet: true when this call created the like. */
    boolean claim(long tweetId, long userId, Instant likedAt, UUID sagaId);

    /** The saga that wrote the like, if the like exists. */
    Optional<UUID> likedBySaga(long tweetId, long userId);

    /** When the user liked the tweet, if they do. */
    Optional<Instant> likedAt(long tweetId, long userId);

    /** {@code DELETE … IF EXISTS} (or {@code IF saga_id = ?} when {@code onlySaga} is given): true when removed now. */
    boolean release(long tweetId, long userId, Optional<UUID> onlySaga);

    /** The likes_by_user row (idempotent). */
    void recordUserLike(long userId, Instant likedAt, long tweetId);

    /** Removes the likes_by_user row (idempotent). */
    void removeUserLike(long userId, Instant likedAt, long tweetId);

    /** Moves the counter. Call only after a claim or a release applied. */
    void count(long tweetId, int delta);

    /** The counter's value (0 when none). */
    long countOf(long tweetId);

    /** Sets the counter to the number of likes_by_tweet rows (after a crash between claim and count). */
    void reconcileCount(long tweetId);

    /** One page of likers, and the opaque position of the next. */
    Page<Like> likers(long tweetId, Optional<String> after, int limit);

    /** One page of a user's likes, newest first. */
    Page<Like> likesBy(long userId, Optional<String> after, int limit);

    /** Every like of a tweet (for its deletion). */
    List<Like> allLikersOf(long tweetId);

    /** Every like of a user (for the account deletion). */
    List<Like> allLikesBy(long userId);

    /** Drops the tweet's likes partition and counter. */
    void dropTweet(long tweetId);

    /** A like. */
    record Like(long tweetId, long userId, Instant likedAt) {
    }

    /** A page and where the next starts (empty at the end). */
    record Page<T>(List<T> items, Optional<String> next) {
    }
}
