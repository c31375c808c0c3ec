package io.chirp.timeline.domain;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The home-timeline store (Redis in production): feeds, each author's recent posts, the
 * follow graph read model, the celebrity set and the tweet cache. Every write is idempotent,
 * so redelivered events are harmless. All methods are non-blocking.
 */
public interface FeedStore {

    /** Records a new tweet: the author's recent posts and the tweet cache. */
    CompletionStage<Void> recordPost(long authorId, long tweetId, TweetView tweet);

    /**
     * Fan-out on write: adds the tweet to each existing feed among {@code userIds}, trimmed,
     * in batches of the configured size (one round trip per batch).
     */
    CompletionStage<Void> pushToFeeds(Collection<Long> userIds, long tweetId);

    /** Removes the tweet from the author's posts, the cache, and each of {@code userIds}' feeds. */
    CompletionStage<Void> removeEverywhere(long authorId, long tweetId, Collection<Long> userIds);

    /** The follower ids of a user, from the follow read model. */
    CompletionStage<List<Long>> followers(long userId);

    /** The followee ids of a user, from the follow read model; empty when the model does not know the user. */
    CompletionStage<java.util.Optional<Set<Long>>> following(long userId);

    /**
     * Re-learns a reader's follow edges from the system of record (after the store lost them):
     * the reader's followees, the reader in each followee's followers, the celebrity marks.
     */
    CompletionStage<Void> learnFollowing(long userId, Collection<Long> followees, Collection<Long> celebrities);

    /** Which of these authors have no recent posts recorded. */
    CompletionStage<Set<Long>> authorsWithoutPosts(Collection<Long> authorIds);

    /** Records an author's recent tweets (newest first) fetched from the system of record. */
    CompletionStage<Void> recordPosts(long authorId, List<TweetView> tweets);

    /** The celebrities among the followees of a user. */
    CompletionStage<Set<Long>> celebritiesFollowedBy(long userId);

    /** Follow read model: records the edge; returns the followee's follower count after it. */
    CompletionStage<Long> addFollow(long followerId, long followeeId);

    /** Follow read model: removes the edge. */
    CompletionStage<Void> removeFollow(long followerId, long followeeId);

    /** Marks or unmarks an author as a celebrity. */
    CompletionStage<Void> setCelebrity(long userId, boolean celebrity);

    /** Is this author a celebrity? */
    CompletionStage<Boolean> isCelebrity(long userId);

    /** Merges up to the author's recent posts into the follower's feed, if the feed exists. */
    CompletionStage<Void> backfill(long followerId, long followeeId);

    /** Removes the followee's recent posts from the follower's feed. */
    CompletionStage<Void> unmerge(long followerId, long followeeId);

    /** Whether the user's feed exists (it expires when unread for the inactivity period). */
    CompletionStage<Boolean> feedExists(long userId);

    /** Rebuilds the feed from the recent posts of {@code authors} (followees and self). */
    CompletionStage<Void> rebuildFeed(long userId, Collection<Long> authors);

    /** Tweet ids of the feed older than {@code beforeId} (all when null), newest first; refreshes its expiry. */
    CompletionStage<List<Long>> readFeed(long userId, Long beforeId, int count);

    /** Recent post ids of an author older than {@code beforeId}, newest first. */
    CompletionStage<List<Long>> readPosts(long authorId, Long beforeId, int count);

    /** Cached tweets by id (missing ids absent). */
    CompletionStage<Map<Long, TweetView>> cachedTweets(Collection<Long> ids);

    /** Caches hydrated tweets. */
    CompletionStage<Void> cacheTweets(Collection<TweetView> tweets);

    /** Drops everything of a user being deleted: feed, posts, follow read model entries. */
    CompletionStage<Void> forgetUser(long userId);
}
