package io.chirp.gateway.routing;

import java.util.concurrent.atomic.AtomicInteger;

import org.reactivestreams.Publisher;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.order.Ordered;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import jakarta.inject.Singleton;

/**
 * Counts how often Micronaut Security's JWT validator really verifies a token: wraps it when it
 * is created, before platform/web's token cache wraps it in turn (this listener runs first), so
 * a count is a full verification (JWKS signature and claims) and a cache hit is not counted.
 */
@Singleton
@Requires(property = CountingTokenValidators.ENABLED, value = "true")
public class CountingTokenValidators implements BeanCreatedEventListener<ReactiveJsonWebTokenValidator<?, ?>>, Ordered {

    static final String ENABLED = "chirp.test.count-token-verifications";

    private final AtomicInteger verifications = new AtomicInteger();

    /** Full verifications so far. */
    public int verifications() {
        return verifications.get();
    }

    @Override
    public ReactiveJsonWebTokenValidator<?, ?> onCreated(BeanCreatedEvent<ReactiveJsonWebTokenValidator<?, ?>> event) {
        return counting(event.getBean());
    }

    private <T, R> ReactiveJsonWebTokenValidator<T, R> counting(ReactiveJsonWebTokenValidator<T, R> validator) {
        return new ReactiveJsonWebTokenValidator<>() {
            @Override
            public Publisher<T> validate(String token, R request) {
                return validator.validate(token, request);
            }

            @Override
            public Publisher<Authentication> validateToken(String token, R request) {
                verifications.incrementAndGet();
                return validator.validateToken(token, request);
            }

            @Override
            public int getOrder() {
                return validator.getOrder();
            }
        };
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
