package io.chirp.tweet.api;

import io.chirp.tweet.domain.Exceptions;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** The domain's refusals mapped once to their HTTP status, rendered as problem+json. */
final class DomainErrors {

    private DomainErrors() {
    }

    static HttpResponse<?> problem(ErrorResponseProcessor<?> errors, HttpRequest<?> request, RuntimeException e,
                                   HttpStatus status) {
        MutableHttpResponse<?> base = HttpResponse.status(status);
        return errors.processResponse(ErrorContext.builder(request).cause(e).errorMessage(e.getMessage()).build(), base);
    }

    @Singleton
    static final class InvalidInput implements ExceptionHandler<Exceptions.InvalidInput, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> errors;

        InvalidInput(ErrorResponseProcessor<?> errors) {
            this.errors = errors;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, Exceptions.InvalidInput e) {
            return problem(errors, request, e, HttpStatus.BAD_REQUEST);
        }
    }

    @Singleton
    static final class TweetNotFound implements ExceptionHandler<Exceptions.TweetNotFound, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> errors;

        TweetNotFound(ErrorResponseProcessor<?> errors) {
            this.errors = errors;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, Exceptions.TweetNotFound e) {
            return problem(errors, request, e, HttpStatus.NOT_FOUND);
        }
    }

    @Singleton
    static final class UserNotFound implements ExceptionHandler<Exceptions.UserNotFound, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> errors;

        UserNotFound(ErrorResponseProcessor<?> errors) {
            this.errors = errors;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, Exceptions.UserNotFound e) {
            return problem(errors, request, e, HttpStatus.NOT_FOUND);
        }
    }

    @Singleton
    static final class NotTheAuthor implements ExceptionHandler<Exceptions.NotTheAuthor, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> errors;

        NotTheAuthor(ErrorResponseProcessor<?> errors) {
            this.errors = errors;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, Exceptions.NotTheAuthor e) {
            return problem(errors, request, e, HttpStatus.FORBIDDEN);
        }
    }

    @Singleton
    static final class AccountDeleted implements ExceptionHandler<Exceptions.AccountDeleted, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> errors;

        AccountDeleted(ErrorResponseProcessor<?> errors) {
            this.errors = errors;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, Exceptions.AccountDeleted e) {
            return problem(errors, request, e, HttpStatus.FORBIDDEN);
        }
    }
}
