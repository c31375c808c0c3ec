package io.chirp.tweet.domain;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.events.TweetCreated;
import io.chirp.platform.events.TweetDeleted;
import io.chirp.platform.sharding.ChirpId;
import io.chirp.platform.sharding.IdGenerator;
import jakarta.inject.Singleton;

/** Posting, replying, retweeting, deleting and reading tweets (API.md, "Tweets"). */
@Singleton
public class TweetService {

    /** Most ids one batch read may ask for. */
    public static final int MAX_BATCH = 200;

    private static final Logger LOG = LoggerFactory.getLogger(TweetService.class);

    private final TweetStore tweets;
    private final AuthorStore authors;
    private final CounterService counters;
    private final IdGenerator ids;
    private final Clock clock;

    public TweetService(TweetStore tweets, AuthorStore authors, CounterService counters, IdGenerator ids, Clock clock) {
        this.tweets = tweets;
        this.authors = authors;
        this.counters = counters;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Posts a tweet, or a reply when {@code replyToId} is given. The id is issued on the author's
     * logical shard, so the tweet lives with its author.
     *
     * @throws Exceptions.InvalidInput   400, naming {@code text}
     * @throws Exceptions.TweetNotFound  404 when the parent is unknown or deleted
     * @throws Exceptions.AccountDeleted 403
     */
    public Tweet post(Caller caller, String rawText, Long replyToId) {
        TweetText text = TweetText.parse(rawText);
        if (replyToId != null && tweets.find(replyToId).isEmpty()) {
            throw new Exceptions.TweetNotFound(replyToId);
        }
        long id = ids.next(ChirpId.logicalShard(caller.userId()));
        Tweet draft = new Tweet(id, caller.userId(), null, text.text(), replyToId, null, text.hashtags(),
                knownMentions(text.mentionCandidates()), 0, 0, 0, ChirpId.timestamp(id));
        Tweet stored = tweets.post(draft, caller, this::created);
        if (replyToId != null) {
            countNow(stored.id(), replyToId, null);
        }
        return stored;
    }

    /**
     * Retweets {@code tweetId} (the original, when it is itself a retweet), once per user: asked
     * again, the same retweet is returned.
     *
     * @throws Exceptions.TweetNotFound  404 when unknown or deleted
     * @throws Exceptions.AccountDeleted 403
     */
    public Tweet retweet(Caller caller, long tweetId) {
        Tweet target = get(tweetId);
        Tweet original = target.retweetOfId() == null ? target
                : tweets.find(target.retweetOfId()).orElseThrow(() -> new Exceptions.TweetNotFound(tweetId));
        long id = ids.next(ChirpId.logicalShard(caller.userId()));
        Tweet draft = new Tweet(id, caller.userId(), null, original.text(), null, original.id(), original.hashtags(),
                original.mentions(), 0, 0, 0, ChirpId.timestamp(id));
        TweetStore.Retweet retweet = tweets.retweet(draft, caller, this::created);
        if (retweet.created()) {
            countNow(retweet.tweet().id(), null, original.id());
        }
        return retweet.tweet();
    }

    /**
     * Soft-deletes the caller's tweet and publishes TweetDeleted.
     *
     * @throws Exceptions.TweetNotFound 404 when unknown or already deleted
     * @throws Exceptions.NotTheAuthor  403
     */
    public void delete(Caller caller, long tweetId) {
        TweetStore.DeleteOutcome outcome = tweets.delete(tweetId, caller.userId(),
                ref -> new TweetDeleted(UUID.randomUUID(), clock.instant(), TweetDeleted.SCHEMA_VERSION, ref.id(),
                        ref.authorId()));
        if (outcome instanceof TweetStore.DeleteOutcome.NotFound) {
            throw new Exceptions.TweetNotFound(tweetId);
        }
        if (outcome instanceof TweetStore.DeleteOutcome.NotTheAuthor) {
            throw new Exceptions.NotTheAuthor(tweetId);
        }
        try {
            counters.childRemoved(((TweetStore.DeleteOutcome.Deleted) outcome).tweet());
        } catch (RuntimeException e) {
            LOG.warn("counters of the parent of deleted tweet {} not updated now; the TweetDeleted consumer will: {}",
                    tweetId, e.toString());
        }
    }

    /** @throws Exceptions.TweetNotFound 404 when unknown or deleted */
    public Tweet get(long tweetId) {
        return tweets.find(tweetId).orElseThrow(() -> new Exceptions.TweetNotFound(tweetId));
    }

    /**
     * The user timeline: the user's tweets, newest first, one index scan on the user's shard per
     * page.
     *
     * @throws Exceptions.UserNotFound 404 when the user has no tweets and is not known here
     */
    public TweetPage userTimeline(long userId, OptionalLong before, int limit) {
        List<Tweet> rows = tweets.byAuthor(userId, before, limit + 1);
        if (rows.isEmpty() && before.isEmpty()
                && authors.find(userId).filter(author -> !author.deleted()).isEmpty()) {
            throw new Exceptions.UserNotFound(userId);
        }
        return TweetPage.of(rows, limit);
    }

    /**
     * Replies to a live tweet, newest first.
     *
     * @throws Exceptions.TweetNotFound 404 when the tweet is unknown or deleted
     */
    public TweetPage replies(long tweetId, OptionalLong before, int limit) {
        get(tweetId);
        return TweetPage.of(tweets.replies(tweetId, before, limit + 1), limit);
    }

    /**
     * Live tweets in the order asked, missing and deleted ones left out; one query per physical
     * shard, run in parallel.
     *
     * @throws Exceptions.InvalidInput naming {@code ids} when more than {@value #MAX_BATCH}
     */
    public List<Tweet> batch(List<Long> tweetIds) {
        if (tweetIds.size() > MAX_BATCH) {
            throw new Exceptions.InvalidInput("ids", "at most " + MAX_BATCH + " ids per call, not " + tweetIds.size());
        }
        if (tweetIds.isEmpty()) {
            return List.of();
        }
        Map<Long, Tweet> found = tweets.findAll(new LinkedHashSet<>(tweetIds));
        List<Tweet> ordered = new ArrayList<>(tweetIds.size());
        for (long id : tweetIds) {
            Tweet tweet = found.get(id);
            if (tweet != null) {
                ordered.add(tweet);
            }
        }
        return ordered;
    }

    /** Mentions of users known here, as typed; any other @word stays plain text. */
    private List<String> knownMentions(List<String> candidates) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        Set<String> known = authors.knownUsernames(candidates);
        return candidates.stream().filter(c -> known.contains(c.toLowerCase(Locale.ROOT))).toList();
    }

    /** The parent's counter right away; if that fails, the consumer of the child's event does it. */
    private void countNow(long childId, Long replyToId, Long retweetOfId) {
        try {
            counters.childAdded(childId, replyToId, retweetOfId);
        } catch (RuntimeException e) {
            LOG.warn("counters of the parent of tweet {} not updated now; the TweetCreated consumer will: {}",
                    childId, e.toString());
        }
    }

    private TweetCreated created(Tweet t) {
        return new TweetCreated(UUID.randomUUID(), clock.instant(), TweetCreated.SCHEMA_VERSION, t.id(), t.authorId(),
                t.authorUsername(), t.text(), t.hashtags(), t.mentions(), t.replyToId(), t.retweetOfId(),
                t.createdAt());
    }
}
