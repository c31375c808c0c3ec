package io.chirp.platform.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.micronaut.aop.Around;

/**
 * On a bean whose methods return {@link java.util.concurrent.CompletionStage}s completed by a
 * client's I/O threads (async Lettuce, the Cassandra driver): each returned stage completes
 * inside the propagated context of the caller (the request's MDC with its request id, its
 * OpenTelemetry span), so what the caller chains on it (an HTTP call to another service, a log
 * line) still belongs to the request. Without it, a continuation runs on the I/O thread with no
 * context, and the next service sees a new request id and a new trace.
 * <p>
 * Cost: one extra {@code CompletableFuture} per call, and only when there is a context.
 *
 * @see ResumeInCallerContextInterceptor
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Around
public @interface ResumeInCallerContext {
}
