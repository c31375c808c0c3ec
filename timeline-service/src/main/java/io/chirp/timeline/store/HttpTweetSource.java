package io.chirp.timeline.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.chirp.platform.web.Page;
import io.chirp.timeline.domain.TweetSource;
import io.chirp.timeline.domain.TweetView;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.serde.annotation.Serdeable;
import io.chirp.platform.web.ResumeInCallerContext;
import io.chirp.platform.web.resilience.CircuitBreakers;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

/**
 * {@link TweetSource} over the non-blocking HTTP client: tweet-service's internal batch read
 * and public user timelines, user-service's following lists. Every call has a timeout and goes
 * through its service's circuit breaker: while one is open its calls fail at once
 * ({@link io.chirp.platform.web.resilience.CircuitOpenException}, a
 * {@link io.chirp.platform.web.DependencyUnavailableException}), and the read degrades or
 * answers 503 as it does when that service is down.
 */
@Singleton
@ResumeInCallerContext // continuations of its stages keep the request's id and trace
class HttpTweetSource implements TweetSource {

    private final HttpClient tweets;
    private final HttpClient users;
    private final CircuitBreakers breakers;
    private final Duration timeout;

    HttpTweetSource(@Client(id = "tweet-service") HttpClient tweets, @Client(id = "user-service") HttpClient users,
                    CircuitBreakers breakers, @Value("${chirp.timeline.source-timeout:2s}") Duration timeout) {
        this.tweets = tweets;
        this.users = users;
        this.breakers = breakers;
        this.timeout = timeout;
    }

    @Serdeable
    record BatchRequest(List<String> ids) {
    }

    @Serdeable
    record Items(List<TweetView> items) {
    }

    @Serdeable
    record UserRef(String id, long followersCount) {
    }

    @Override
    public CompletionStage<List<TweetView>> tweets(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return breakers.call("tweet-service", timeout, () -> tweets.retrieve(HttpRequest.POST("/internal/tweets/batch",
                        new BatchRequest(ids.stream().map(String::valueOf).toList())), Items.class))
                .map(Items::items).toFuture();
    }

    /**
     * Asks for the primaries (chirp-database's {@code ReadYourWrites.READ_PRIMARY_HEADER}): a whole
     * read taken from a lagging replica would be stored as the whole follow set or post list.
     */
    private static final String READ_PRIMARY = "X-Chirp-Read-Primary";

    @Override
    public CompletionStage<List<TweetView>> recentTweets(long authorId, Long beforeId, int limit) {
        // tweet-service's user timeline is newest first; older pages are filtered client-side
        int fetch = Math.min(100, beforeId == null ? limit : limit + 50);
        return breakers.call("tweet-service", timeout, () -> tweets.retrieve(HttpRequest.GET(
                                UriBuilder.of("/api/v1/users/{id}/tweets").queryParam("limit", fetch)
                                        .expand(Map.of("id", authorId))).header(READ_PRIMARY, "true"),
                        Argument.of(Page.class, TweetView.class)))
                .map(page -> {
                    List<TweetView> older = new ArrayList<>();
                    for (Object item : page.items()) {
                        TweetView tweet = (TweetView) item;
                        if (beforeId == null || Long.parseLong(tweet.id()) < beforeId) {
                            older.add(tweet);
                        }
                    }
                    return (List<TweetView>) older;
                })
                // an author tweet-service has not heard of yet (just registered) has no tweets
                .onErrorResume(e -> e instanceof io.micronaut.http.client.exceptions.HttpClientResponseException r
                        && r.getStatus() == io.micronaut.http.HttpStatus.NOT_FOUND, e -> Mono.just(List.of()))
                .toFuture();
    }

    @Override
    public CompletionStage<List<Followee>> following(long userId) {
        return followingFrom(userId, null, new ArrayList<>()).toFuture();
    }

    private Mono<List<Followee>> followingFrom(long userId, String cursor, List<Followee> acc) {
        UriBuilder uri = UriBuilder.of("/api/v1/users/{id}/following").queryParam("limit", 100);
        if (cursor != null) {
            uri.queryParam("cursor", cursor);
        }
        return breakers.call("user-service", timeout, () -> users.retrieve(HttpRequest.GET(uri.expand(Map.of("id", userId))).header(READ_PRIMARY, "true"),
                        Argument.of(Page.class, UserRef.class)))
                .flatMap(page -> {
                    for (Object user : page.items()) {
                        UserRef ref = (UserRef) user;
                        acc.add(new Followee(Long.parseLong(ref.id()), ref.followersCount()));
                    }
                    return page.nextCursor() == null ? Mono.just(acc) : followingFrom(userId, page.nextCursor(), acc);
                });
    }
}
