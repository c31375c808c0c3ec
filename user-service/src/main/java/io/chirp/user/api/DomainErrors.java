package io.chirp.user.api;

import io.chirp.user.domain.Exceptions;
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
    static final class NotFound implements ExceptionHandler<Exceptions.UserNotFound, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> errors;

        NotFound(ErrorResponseProcessor<?> errors) {
            this.errors = errors;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, Exceptions.UserNotFound e) {
            return problem(errors, request, e, HttpStatus.NOT_FOUND);
        }
    }

    @Singleton
    static final class Taken implements ExceptionHandler<Exceptions.AlreadyTaken, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> errors;

        Taken(ErrorResponseProcessor<?> errors) {
            this.errors = errors;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, Exceptions.AlreadyTaken e) {
            return problem(errors, request, e, HttpStatus.CONFLICT);
        }
    }

    @Singleton
    static final class BadCredentials implements ExceptionHandler<Exceptions.BadCredentials, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> errors;

        BadCredentials(ErrorResponseProcessor<?> errors) {
            this.errors = errors;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, Exceptions.BadCredentials e) {
            return problem(errors, request, e, HttpStatus.UNAUTHORIZED);
        }
    }

    @Singleton
    static final class InvalidAction implements ExceptionHandler<Exceptions.InvalidAction, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> errors;

        InvalidAction(ErrorResponseProcessor<?> errors) {
            this.errors = errors;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, Exceptions.InvalidAction e) {
            return problem(errors, request, e, HttpStatus.BAD_REQUEST);
        }
    }
}
