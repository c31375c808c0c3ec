package io.chirp.platform.web.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.order.Ordered;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import jakarta.inject.Singleton;

/**
 * Puts a {@link CachingJsonWebTokenValidator} around Micronaut Security's JWT validator when it
 * is created, so every user of the {@code TokenValidator} bean gets the cache: Micronaut's
 * {@code TokenAuthenticationFetcher} (the security filter of each service, and of the gateway)
 * and the gateway's {@code EdgeTokenFilter}. A decorator on creation rather than
 * {@code @Replaces}: the validator ({@code NimbusReactiveJsonWebTokenValidator} in Micronaut
 * Security 4) is package-private, and replacing it would mean building it by hand.
 * <p>
 * Loaded only in applications with micronaut-security-jwt (the services that check tokens and
 * the gateway; search-service has none), and unless {@code chirp.security.token-cache.enabled}
 * is {@code false}. Runs last among such listeners, so the cache is the outermost wrapper.
 */
@Singleton
@Requires(classes = ReactiveJsonWebTokenValidator.class)
@Requires(property = TokenCacheProperties.PREFIX + ".enabled", notEquals = "false")
final class TokenCacheDecorator implements BeanCreatedEventListener<ReactiveJsonWebTokenValidator<?, ?>>, Ordered {

    private final VerifiedTokenCache cache;

    TokenCacheDecorator(VerifiedTokenCache cache) {
        this.cache = cache;
    }

    @Override
    public ReactiveJsonWebTokenValidator<?, ?> onCreated(BeanCreatedEvent<ReactiveJsonWebTokenValidator<?, ?>> event) {
        ReactiveJsonWebTokenValidator<?, ?> validator = event.getBean();
        return validator instanceof CachingJsonWebTokenValidator<?, ?> ? validator : wrap(validator);
    }

    private <T, R> ReactiveJsonWebTokenValidator<T, R> wrap(ReactiveJsonWebTokenValidator<T, R> validator) {
        return new CachingJsonWebTokenValidator<>(validator, cache);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
