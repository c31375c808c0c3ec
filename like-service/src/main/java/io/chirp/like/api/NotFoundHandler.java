package io.chirp.like.api;

import io.chirp.like.domain.Exceptions;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** {@link Exceptions.NotFound} → 404 problem+json. */
@Singleton
class NotFoundHandler implements ExceptionHandler<Exceptions.NotFound, HttpResponse<?>> {

    private final ErrorResponseProcessor<?> errors;

    NotFoundHandler(ErrorResponseProcessor<?> errors) {
        this.errors = errors;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, Exceptions.NotFound e) {
        return errors.processResponse(ErrorContext.builder(request).cause(e).errorMessage(e.getMessage()).build(),
                HttpResponse.status(HttpStatus.NOT_FOUND));
    }
}
