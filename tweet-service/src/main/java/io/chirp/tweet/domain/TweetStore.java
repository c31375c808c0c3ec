package io.chirp.tweet.domain;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongFunction;

import io.chirp.platform.events.LikeSagaReply;
import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.events.TweetDeleted;

/**
 * Tweets across the physical shards, each on its author's shard. Every method that changes a
 * tweet and has an event writes the event to the same shard's outbox in the same transaction.
 */
public interface TweetStore {

    /**
     * A new tweet (or reply), in one transaction on the author's shard: the author row is taken
     * from the caller's token when it is missing, locked against a concurrent account deletion,
     * and its username goes into the tweet and the event.
     *
     * @param draft the tweet to store; its {@code authorUsername} is ignored
     * @param event the TweetCreated of the stored tweet
     * @throws Exceptions.AccountDeleted when the author's account is deleted
     */
    Tweet post(Tweet draft, Caller caller, Function<Tweet, TweetCreated> event);

    /**
     * The caller's retweet of {@code original}: the retweets row (the primary key makes it one per
     * user and original), the retweet itself and its event, in one transaction on the caller's
     * shard. When the caller already retweeted it, that retweet, unchanged.
     *
     * @param draft the retweet to store if there is none yet
     * @throws Exceptions.AccountDeleted when the caller's account is deleted
     */
    Retweet retweet(Tweet draft, Caller caller, Function<Tweet, TweetCreated> event);

    /** A retweet and whether this call created it. */
    record Retweet(Tweet tweet, boolean created) {
    }

    /** The live (not deleted) tweet with this id. */
    Optional<Tweet> find(long id);

    /** What the tweet points at, deleted or not. */
    Optional<TweetRef> findRef(long id);

    /** Live tweets by id, with one query per physical shard run in parallel; missing ids are left out. */
    Map<Long, Tweet> findAll(Collection<Long> ids);

    /**
     * Soft-deletes the tweet if {@code callerId} wrote it, with its TweetDeleted, under a lock of
     * the row (so concurrent deletes publish one event); a retweet also frees its retweets row.
     */
    DeleteOutcome delete(long tweetId, long callerId, Function<TweetRef, TweetDeleted> event);

    /** Result of {@link #delete}. */
    sealed interface DeleteOutcome {
        record Deleted(TweetRef tweet) implements DeleteOutcome {
        }

        record NotFound() implements DeleteOutcome {
        }

        record NotTheAuthor() implements DeleteOutcome {
        }
    }

    /**
     * The author's live tweets with ids below {@code before} (all when empty), newest first, at
     * most {@code limit}: one query on the author's shard.
     */
    List<Tweet> byAuthor(long authorId, OptionalLong before, int limit);

    /**
     * Live replies to {@code parentId} with ids below {@code before}, newest first, at most
     * {@code limit}. Replies live on their authors' shards: one query per physical shard, in
     * parallel, merged.
     */
    List<Tweet> replies(long parentId, OptionalLong before, int limit);

    /**
     * Adds {@code delta} to a counter of the tweet with a single-statement increment, once per
     * {@code changeId} (recorded in the inbox of the tweet's shard in the same transaction), so
     * the request that caused the change and the event consumer that repairs a lost one never
     * count it twice.
     *
     * @return false when this change was already applied
     */
    boolean applyCounter(long tweetId, Counter counter, int delta, UUID changeId);

    /**
     * The like saga's step on this side: under a lock of the tweet row, moves {@code likeCount}
     * by {@code delta} once per {@code sagaId} (the inbox, in the same transaction) if the tweet is
     * live, and puts the reply built from that answer in the outbox, every time (a redelivered
     * command is answered again, without counting again).
     *
     * @return whether the tweet is live (the reply's {@code confirmed})
     */
    boolean answerLike(long tweetId, int delta, UUID sagaId, Function<Boolean, LikeSagaReply> reply);

    /**
     * Soft-deletes up to {@code batchSize} of the author's live tweets, oldest first, with one
     * TweetDeleted each, in one transaction; also frees the author's retweets rows.
     *
     * @return how many were deleted; fewer than {@code batchSize} means none is left
     */
    int deleteBatchOf(long authorId, int batchSize, LongFunction<TweetDeleted> event);
}
