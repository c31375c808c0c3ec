package io.chirp.search.api;

import io.chirp.search.domain.InvalidSearchException;
import io.chirp.search.domain.ReindexRunningException;
import io.chirp.search.domain.SearchUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** The domain's refusals mapped once to their HTTP status, rendered as problem+json. */
final class SearchErrors {

    private SearchErrors() {
    }

    /** 400 naming the field. */
    @Singleton
    @Produces
    static final class Invalid implements ExceptionHandler<InvalidSearchException, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> errors;

        Invalid(ErrorResponseProcessor<?> errors) {
            this.errors = errors;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, InvalidSearchException e) {
            return errors.processResponse(ErrorContext.builder(request).cause(e).errorMessage(e.getMessage()).build(),
                    HttpResponse.badRequest());
        }
    }

    /** 503 with {@code Retry-After}: the engine is down or the indices are missing. */
    @Singleton
    @Produces
    static final class Unavailable implements ExceptionHandler<SearchUnavailableException, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> errors;

        Unavailable(ErrorResponseProcessor<?> errors) {
            this.errors = errors;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, SearchUnavailableException e) {
            return errors.processResponse(ErrorContext.builder(request).cause(e).build(),
                    HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1"));
        }
    }

    /** 409: one reindex at a time. */
    @Singleton
    @Produces
    static final class ReindexRunning implements ExceptionHandler<ReindexRunningException, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> errors;

        ReindexRunning(ErrorResponseProcessor<?> errors) {
            this.errors = errors;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, ReindexRunningException e) {
            return errors.processResponse(ErrorContext.builder(request).cause(e).errorMessage(e.getMessage()).build(),
                    HttpResponse.status(HttpStatus.CONFLICT));
        }
    }
}
