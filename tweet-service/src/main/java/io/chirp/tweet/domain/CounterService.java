package io.chirp.tweet.domain;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.events.TweetDeleted;
import jakarta.inject.Singleton;

/**
 * The parent's side of replies and retweets: {@code replyCount} and {@code retweetCount}.
 * <p>
 * A reply or retweet is committed on its author's shard, its parent's counter on the parent's
 * shard: two databases, so two transactions. The request that posts (or deletes) the child
 * changes the counter right after its own commit, so readers see it at once; the consumer of
 * the child's TweetCreated / TweetDeleted applies the same change again. Each change has an id
 * derived from the child (so both paths name the same change) and is applied at most once
 * ({@link TweetStore#applyCounter}), so a crash between the two commits is repaired from the
 * event and nothing is counted twice.
 */
@Singleton
public class CounterService {

    private final TweetStore tweets;

    public CounterService(TweetStore tweets) {
        this.tweets = tweets;
    }

    /**
     * A reply or retweet {@code childId} exists: its parent's counter goes up, once.
     *
     * @return how many counter changes this call applied (0 when they were applied before)
     */
    public int childAdded(long childId, Long replyToId, Long retweetOfId) {
        return change(replyToId, Counter.REPLIES, +1, childId) + change(retweetOfId, Counter.RETWEETS, +1, childId);
    }

    /**
     * A reply or retweet was deleted: its parent's counter goes down, once.
     *
     * @return how many counter changes this call applied (0 when they were applied before)
     */
    public int childRemoved(TweetRef child) {
        return change(child.replyToId(), Counter.REPLIES, -1, child.id())
                + change(child.retweetOfId(), Counter.RETWEETS, -1, child.id());
    }

    /** The event path of {@link #childAdded}. */
    public int onTweetCreated(TweetCreated event) {
        return childAdded(event.tweetId(), event.replyToId(), event.retweetOfId());
    }

    /** The event path of {@link #childRemoved}; the deleted row still says what it pointed at. */
    public int onTweetDeleted(TweetDeleted event) {
        return tweets.findRef(event.tweetId()).filter(TweetRef::deleted).map(this::childRemoved).orElse(0);
    }

    private int change(Long parentId, Counter counter, int delta, long childId) {
        if (parentId == null) {
            return 0;
        }
        return tweets.applyCounter(parentId, counter, delta, changeId(counter, delta, childId)) ? 1 : 0;
    }

    /** The same id for the same change, whichever path applies it (a name-based UUID). */
    static UUID changeId(Counter counter, int delta, long childId) {
        return UUID.nameUUIDFromBytes((counter + (delta > 0 ? "+" : "-") + childId).getBytes(StandardCharsets.UTF_8));
    }
}
