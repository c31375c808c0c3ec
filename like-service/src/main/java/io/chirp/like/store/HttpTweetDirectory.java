package io.chirp.like.store;

import java.time.Duration;

import io.chirp.like.domain.TweetDirectory;
import io.chirp.platform.web.DependencyUnavailableException;
import io.chirp.platform.web.resilience.CircuitBreakers;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;

/**
 * Existence checks against tweet-service and user-service, with a timeout, each through its
 * service's circuit breaker. 404 means "no"; any other failure is a dependency outage (503), never
 * a guess, and while a breaker is open that 503 comes at once, without calling.
 */
@Singleton
class HttpTweetDirectory implements TweetDirectory {

    private final HttpClient tweets;
    private final HttpClient users;
    private final CircuitBreakers breakers;
    private final Duration timeout;

    HttpTweetDirectory(@Client(id = "tweet-service") HttpClient tweets, @Client(id = "user-service") HttpClient users,
                       CircuitBreakers breakers, @Value("${chirp.likes.source-timeout:2s}") Duration timeout) {
        this.tweets = tweets;
        this.users = users;
        this.breakers = breakers;
        this.timeout = timeout;
    }

    @Override
    public boolean tweetExists(long tweetId) {
        return exists(tweets, "/api/v1/tweets/" + tweetId, "tweet-service");
    }

    @Override
    public boolean userExists(long userId) {
        return exists(users, "/api/v1/users/" + userId, "user-service");
    }

    @io.micronaut.serde.annotation.Serdeable
    record BatchRequest(java.util.List<String> ids) {
    }

    @io.micronaut.serde.annotation.Serdeable
    record Items(java.util.List<java.util.Map<String, Object>> items) {
    }

    @Override
    public java.util.List<java.util.Map<String, Object>> tweets(java.util.List<Long> ids) {
        if (ids.isEmpty()) {
            return java.util.List.of();
        }
        try {
            Items items = breakers.call("tweet-service", timeout, () -> tweets.retrieve(HttpRequest.POST(
                    "/internal/tweets/batch", new BatchRequest(ids.stream().map(String::valueOf).toList())), Items.class))
                    .block();
            return items == null ? java.util.List.of() : items.items();
        } catch (RuntimeException e) {
            throw new DependencyUnavailableException("tweet-service", e);
        }
    }

    private boolean exists(HttpClient client, String path, String service) {
        try {
            return Boolean.TRUE.equals(breakers.call(service, timeout, () -> client.exchange(HttpRequest.GET(path)))
                    .map(response -> true).block());
        } catch (HttpClientResponseException e) {
            if (e.getStatus() == HttpStatus.NOT_FOUND) {
                return false;
            }
            throw new DependencyUnavailableException(service, e);
        } catch (RuntimeException e) {
            throw new DependencyUnavailableException(service, e);
        }
    }
}
