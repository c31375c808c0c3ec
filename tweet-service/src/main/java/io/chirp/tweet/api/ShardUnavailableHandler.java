package io.chirp.tweet.api;

import io.chirp.platform.sharding.ShardJdbc.ShardUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** A shard that failed → 503 with {@code Retry-After}; the SQL error is logged, never sent. */
@Singleton
class ShardUnavailableHandler implements ExceptionHandler<ShardUnavailableException, HttpResponse<?>> {

    private final ErrorResponseProcessor<?> errors;

    ShardUnavailableHandler(ErrorResponseProcessor<?> errors) {
        this.errors = errors;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ShardUnavailableException e) {
        return errors.processResponse(ErrorContext.builder(request).cause(e).build(),
                HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1"));
    }
}
