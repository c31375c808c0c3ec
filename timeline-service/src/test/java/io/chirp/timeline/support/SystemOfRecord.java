package io.chirp.timeline.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.chirp.platform.web.Page;
import io.chirp.timeline.domain.TweetView;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Stands in for the systems of record behind timeline-service in its own tests, answering the
 * same HTTP contract: tweet-service's {@code POST /internal/tweets/batch} and
 * {@code GET /api/v1/users/{id}/tweets}, user-service's {@code GET /api/v1/users/{id}/following}
 * (served by the test application itself). The tests record every tweet and follow
 * here as they publish its event, as the real services would. The real services and the
 * whole path are tested end to end through the local cluster.
 */
@Controller
@Requires(env = "test")
@Secured(SecurityRule.IS_ANONYMOUS)
public class SystemOfRecord {

    private static final Map<Long, TweetView> TWEETS = new ConcurrentHashMap<>();
    private static final Map<Long, List<Long>> FOLLOWING = new ConcurrentHashMap<>();

    public static void tweet(TweetView tweet) {
        TWEETS.put(Long.parseLong(tweet.id()), tweet);
    }

    public static void delete(long tweetId) {
        TWEETS.remove(tweetId);
    }

    public static void follow(long follower, long followee) {
        FOLLOWING.computeIfAbsent(follower, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(followee);
    }

    public static void unfollow(long follower, long followee) {
        Optional.ofNullable(FOLLOWING.get(follower)).ifPresent(list -> list.remove(followee));
    }

    @Serdeable
    record Ids(List<String> ids) {
    }

    @Serdeable
    record Items(List<TweetView> items) {
    }

    @Serdeable
    record UserRef(String id, long followersCount) {
    }

    @Post("/internal/tweets/batch")
    Items batch(@Body Ids request) {
        return new Items(request.ids().stream().map(id -> TWEETS.get(Long.parseLong(id)))
                .filter(java.util.Objects::nonNull).toList());
    }

    @Get("/api/v1/users/{id}/tweets")
    Page<TweetView> userTimeline(@PathVariable long id, @QueryValue(defaultValue = "20") int limit) {
        List<TweetView> tweets = TWEETS.values().stream().filter(t -> t.authorId().equals(Long.toString(id)))
                .sorted(Comparator.comparing((TweetView t) -> Long.parseLong(t.id())).reversed()).limit(limit).toList();
        return new Page<>(tweets, null);
    }

    @Get("/api/v1/users/{id}/following")
    Page<UserRef> following(@PathVariable long id, @Nullable @QueryValue String cursor) {
        List<UserRef> refs = new ArrayList<>();
        FOLLOWING.getOrDefault(id, List.of()).forEach(f -> refs.add(new UserRef(Long.toString(f),
                FOLLOWING.values().stream().filter(l -> l.contains(f)).count())));
        return new Page<>(refs, null);
    }
}
