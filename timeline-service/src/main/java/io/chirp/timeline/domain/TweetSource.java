package io.chirp.timeline.domain;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The systems of record behind the feeds (tweet-service and user-service over HTTP), for
 * hydration misses and for fan-out-on-read when the feed store is down.
 */
public interface TweetSource {

    /** Tweets by id in one batch call; deleted or unknown ones are absent. */
    CompletionStage<List<TweetView>> tweets(Collection<Long> ids);

    /** The newest tweets of an author older than {@code beforeId} (all when null). */
    CompletionStage<List<TweetView>> recentTweets(long authorId, Long beforeId, int limit);

    /** Every followee of a user (all pages), with their follower counts. */
    CompletionStage<List<Followee>> following(long userId);

    /** A followee and how many followers they have (to tell celebrities). */
    record Followee(long id, long followersCount) {
    }
}
