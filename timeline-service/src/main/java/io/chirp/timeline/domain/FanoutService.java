package io.chirp.timeline.domain;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.events.TweetDeleted;
import io.chirp.platform.events.UserFollowed;
import io.chirp.platform.events.UserUnfollowed;
import io.chirp.platform.web.ApiTimestamps;
import io.chirp.timeline.config.TimelineProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

/**
 * Keeps the home feeds in step with the events: fan-out on write for ordinary authors (the
 * tweet id pushed into every follower's feed and the author's own), none for celebrities
 * (merged at read time instead, see {@link HomeTimelineService}); follow backfills, unfollow
 * and delete remove. Every step is idempotent, so a redelivered event changes nothing.
 */
@Singleton
public class FanoutService {

    private final FeedStore feeds;
    private final TimelineProperties properties;
    private final Clock clock;
    private final Timer fanoutLag;

    public FanoutService(FeedStore feeds, TimelineProperties properties, Clock clock, MeterRegistry metrics) {
        this.feeds = feeds;
        this.properties = properties;
        this.clock = clock;
        this.fanoutLag = Timer.builder("chirp.timeline.fanout.lag")
                .description("time from a tweet's creation to its id in every follower's feed")
                .publishPercentiles(0.5, 0.99)
                // buckets too: percentiles across instances come only from summed buckets
                .publishPercentileHistogram()
                .register(metrics);
    }

    /**
     * Fan-out on write, unless the author is a celebrity (then only the author's own feed).
     *
     * @return the number of feeds the tweet id was pushed into
     */
    public CompletionStage<Integer> onTweetCreated(TweetCreated event) {
        TweetView view = view(event);
        return feeds.recordPost(event.authorId(), event.tweetId(), view)
                .thenCompose(v -> feeds.isCelebrity(event.authorId()))
                .thenCompose(celebrity -> {
                    if (celebrity) {
                        return feeds.pushToFeeds(List.of(event.authorId()), event.tweetId()).thenApply(v -> 1);
                    }
                    return feeds.followers(event.authorId()).thenCompose(followers -> {
                        List<Long> targets = new ArrayList<>(followers.size() + 1);
                        targets.add(event.authorId());
                        targets.addAll(followers);
                        return feeds.pushToFeeds(targets, event.tweetId()).thenApply(v -> targets.size());
                    });
                })
                .thenApply(pushed -> {
                    fanoutLag.record(Duration.between(event.createdAt(), clock.instant()));
                    return pushed;
                });
    }

    /** Removes the tweet from every feed it was pushed into, and from the cache. */
    public CompletionStage<Void> onTweetDeleted(TweetDeleted event) {
        return feeds.followers(event.authorId()).thenCompose(followers -> {
            List<Long> targets = new ArrayList<>(followers);
            targets.add(event.authorId());
            return feeds.removeEverywhere(event.authorId(), event.tweetId(), targets);
        });
    }

    /** Records the edge, updates the celebrity mark, and backfills the follower's feed. */
    public CompletionStage<Void> onFollowed(UserFollowed event) {
        return feeds.addFollow(event.followerId(), event.followeeId())
                .thenCompose(followers -> {
                    boolean celebrity = followers >= properties.celebrityThreshold();
                    CompletionStage<Void> mark = feeds.setCelebrity(event.followeeId(), celebrity);
                    // a celebrity's tweets are merged at read time; nobody's feed holds them
                    return celebrity ? mark : mark.thenCompose(v -> feeds.backfill(event.followerId(), event.followeeId()));
                });
    }

    /** Removes the edge and the followee's tweets from the follower's feed. */
    public CompletionStage<Void> onUnfollowed(UserUnfollowed event) {
        return feeds.removeFollow(event.followerId(), event.followeeId())
                .thenCompose(v -> feeds.unmerge(event.followerId(), event.followeeId()))
                .thenCompose(v -> feeds.followers(event.followeeId()))
                .thenCompose(followers -> feeds.setCelebrity(event.followeeId(),
                        followers.size() >= properties.celebrityThreshold()));
    }

    /** Account deletion: the user's feed and follow read model go. */
    public CompletionStage<Void> onUserDeletion(long userId) {
        return feeds.forgetUser(userId);
    }

    static TweetView view(TweetCreated e) {
        return new TweetView(Long.toString(e.tweetId()), Long.toString(e.authorId()), e.authorUsername(), e.text(),
                ApiTimestamps.format(e.createdAt()), e.replyToId() == null ? null : e.replyToId().toString(),
                e.retweetOfId() == null ? null : e.retweetOfId().toString(), e.hashtags(), e.mentions(), 0, 0, 0);
    }

    static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
