package io.chirp.timeline.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.timeline.config.TimelineProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * The home timeline read, non-blocking end to end:
 * <ol>
 *   <li>rebuild the feed if it is missing (expired after inactivity, or Redis lost it) from
 *       the recent posts of the reader's followees and the reader;</li>
 *   <li>read the next ids of the feed after the cursor, and merge in the recent posts of the
 *       celebrities the reader follows (not fanned out); newest first, de-duplicated;</li>
 *   <li>hydrate through the tweet cache, then one batch call to tweet-service for the misses;
 *       deleted tweets drop out.</li>
 * </ol>
 * If the feed store fails, the read degrades to fan-out on read from tweet-service and
 * user-service: slower, still correct, never a 5xx for a store outage alone.
 */
@Singleton
public class HomeTimelineService {

    private static final Logger LOG = LoggerFactory.getLogger(HomeTimelineService.class);

    private final FeedStore feeds;
    private final TweetSource source;
    private final Counter rebuilds;
    private final Counter celebrityMerges;
    private final Counter degradedReads;
    private final int celebrityThreshold;
    private final int postsPerAuthor;

    public HomeTimelineService(FeedStore feeds, TweetSource source, TimelineProperties properties,
                               MeterRegistry metrics) {
        this.feeds = feeds;
        this.source = source;
        this.celebrityThreshold = properties.celebrityThreshold();
        this.postsPerAuthor = properties.postsPerAuthor();
        this.rebuilds = Counter.builder("chirp.timeline.feed.rebuilds").description("feeds rebuilt on read").register(metrics);
        this.celebrityMerges = Counter.builder("chirp.timeline.celebrity.merges")
                .description("home timeline pages that merged celebrity posts").register(metrics);
        this.degradedReads = Counter.builder("chirp.timeline.degraded.reads")
                .description("home timeline reads answered by fan-out on read because the feed store failed")
                .register(metrics);
    }

    /** One page: tweets newest first, and the id the next page starts before (empty at the end). */
    public record HomePage(List<TweetView> items, Optional<Long> nextBefore) {
    }

    /**
     * @param beforeId exclusive upper bound (the previous page's last id), null for the first page
     */
    public CompletionStage<HomePage> read(long userId, Long beforeId, int limit) {
        return fromFeedStore(userId, beforeId, limit).exceptionallyCompose(e -> {
            LOG.warn("feed store failed for user {}; answering by fan-out on read: {}", userId, e.toString());
            degradedReads.increment();
            return fanoutOnRead(userId, beforeId, limit);
        });
    }

    private CompletionStage<HomePage> fromFeedStore(long userId, Long beforeId, int limit) {
        // one more than asked: tells whether another page exists
        int want = limit + 1;
        return ensureFeed(userId)
                .thenCompose(v -> feeds.readFeed(userId, beforeId, want))
                .thenCompose(ids -> feeds.celebritiesFollowedBy(userId).thenCompose(celebrities -> {
                    if (celebrities.isEmpty()) {
                        return CompletableFuture.completedFuture(ids);
                    }
                    celebrityMerges.increment();
                    List<CompletableFuture<List<Long>>> posts = new ArrayList<>();
                    for (long celebrity : celebrities) {
                        posts.add(feeds.readPosts(celebrity, beforeId, want).toCompletableFuture());
                    }
                    return CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).thenApply(v -> {
                        List<Long> merged = new ArrayList<>(ids);
                        posts.forEach(p -> merged.addAll(p.join()));
                        return merged;
                    });
                }))
                .thenCompose(ids -> window(newestFirst(ids, want), limit, this::hydrate));
    }

    /**
     * A missing feed is rebuilt from the recent posts of the reader's followees and the reader.
     * Whatever the store has lost on the way (the reader's follow edges, an author's recent
     * posts — say Redis restarted empty) is first re-learned from user-service and
     * tweet-service, so the rebuilt feed is complete.
     */
    private CompletionStage<Void> ensureFeed(long userId) {
        return feeds.feedExists(userId).thenCompose(exists -> {
            if (exists) {
                return CompletableFuture.completedFuture(null);
            }
            rebuilds.increment();
            return followingOf(userId).thenCompose(following -> {
                Set<Long> authors = new HashSet<>(following);
                authors.add(userId);
                return feeds.authorsWithoutPosts(authors)
                        .thenCompose(this::relearnPosts)
                        .thenCompose(v -> feeds.rebuildFeed(userId, authors))
                        .thenCompose(v -> backfillLateFollows(userId, authors));
            });
        });
    }

    /**
     * Closes the race between a rebuild and a follow: a UserFollowed handled after the followees
     * were read but before the rebuilt feed existed found no feed to backfill, and the rebuild did
     * not know the followee. Reading the follow edges again once the feed exists and backfilling
     * the followees that were not in the rebuild covers it (a later follow finds the feed and
     * backfills itself); backfill is a union, so doing it twice is harmless.
     */
    private CompletionStage<Void> backfillLateFollows(long userId, Set<Long> rebuiltFrom) {
        return feeds.following(userId).thenCompose(now -> {
            List<CompletableFuture<Void>> late = new ArrayList<>();
            now.orElse(Set.of()).stream().filter(followee -> !rebuiltFrom.contains(followee))
                    .forEach(followee -> late.add(feeds.backfill(userId, followee).toCompletableFuture()));
            return CompletableFuture.allOf(late.toArray(CompletableFuture[]::new));
        });
    }

    private CompletionStage<Set<Long>> followingOf(long userId) {
        return feeds.following(userId).thenCompose(known -> {
            if (known.isPresent()) {
                return CompletableFuture.completedFuture(known.get());
            }
            return source.following(userId).thenCompose(followees -> {
                Set<Long> ids = new HashSet<>();
                Set<Long> celebrities = new HashSet<>();
                for (TweetSource.Followee followee : followees) {
                    ids.add(followee.id());
                    if (followee.followersCount() >= celebrityThreshold) {
                        celebrities.add(followee.id());
                    }
                }
                return feeds.learnFollowing(userId, ids, celebrities).thenApply(v -> ids);
            });
        });
    }

    private CompletionStage<Void> relearnPosts(Set<Long> authors) {
        List<CompletableFuture<Void>> steps = new ArrayList<>();
        for (long author : authors) {
            steps.add(source.recentTweets(author, null, postsPerAuthor)
                    .thenCompose(tweets -> feeds.recordPosts(author, tweets)).toCompletableFuture());
        }
        return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new));
    }

    /** Cache first, then one batch call for the misses; keeps the ids' order; drops deleted ones. */
    private CompletionStage<List<TweetView>> hydrate(List<Long> ids) {
        return feeds.cachedTweets(ids).thenCompose(cached -> {
            List<Long> missing = ids.stream().filter(id -> !cached.containsKey(id)).toList();
            if (missing.isEmpty()) {
                return CompletableFuture.completedFuture(inOrder(ids, cached));
            }
            return source.tweets(missing).thenCompose(fetched -> {
                Map<Long, TweetView> all = new LinkedHashMap<>(cached);
                fetched.forEach(t -> all.put(Long.parseLong(t.id()), t));
                return feeds.cacheTweets(fetched).thenApply(v -> inOrder(ids, all));
            });
        });
    }

    /** Fan-out on read from the systems of record: every followee's (and one's own) newest tweets. */
    private CompletionStage<HomePage> fanoutOnRead(long userId, Long beforeId, int limit) {
        return source.following(userId).thenCompose(following -> {
            Set<Long> authors = new TreeSet<>();
            following.forEach(f -> authors.add(f.id()));
            authors.add(userId);
            List<CompletableFuture<List<TweetView>>> timelines = new ArrayList<>();
            for (long author : authors) {
                timelines.add(source.recentTweets(author, beforeId, limit + 1).toCompletableFuture());
            }
            return CompletableFuture.allOf(timelines.toArray(CompletableFuture[]::new)).thenApply(v -> {
                Map<Long, TweetView> byId = byIdOf(timelines);
                return newestFirst(byId.keySet(), limit + 1);
            }).thenCompose(ids -> window(ids, limit, window -> CompletableFuture.completedFuture(window.stream()
                    .map(id -> byIdOf(timelines).get(id)).filter(java.util.Objects::nonNull).toList())));
        });
    }

    static List<Long> newestFirst(Collection<Long> ids, int max) {
        // ids are time-ordered: the largest is the newest
        return ids.stream().distinct().sorted(Comparator.reverseOrder()).limit(max).toList();
    }

    private static List<TweetView> inOrder(List<Long> ids, Map<Long, TweetView> tweets) {
        return ids.stream().map(tweets::get).filter(java.util.Objects::nonNull).toList();
    }

    private static Map<Long, TweetView> byIdOf(List<CompletableFuture<List<TweetView>>> timelines) {
        Map<Long, TweetView> byId = new LinkedHashMap<>();
        timelines.forEach(t -> t.join().forEach(tweet -> byId.put(Long.parseLong(tweet.id()), tweet)));
        return byId;
    }

    /**
     * The page of the first {@code limit} candidates (newest first). The next page starts
     * before the last candidate of this window, whether or not that one survived hydration,
     * so a deleted tweet never causes a gap or a duplicate.
     */
    private static CompletionStage<HomePage> window(List<Long> candidates, int limit,
            java.util.function.Function<List<Long>, CompletionStage<List<TweetView>>> hydrate) {
        boolean more = candidates.size() > limit;
        List<Long> window = candidates.subList(0, Math.min(limit, candidates.size()));
        return hydrate.apply(window).thenApply(items -> new HomePage(items,
                more ? Optional.of(window.get(window.size() - 1)) : Optional.empty()));
    }
}
