package io.chirp.platform.web.security;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import jakarta.inject.Singleton;

/** The one {@link VerifiedTokenCache} of an application that checks JWTs. */
@Factory
@Requires(classes = ReactiveJsonWebTokenValidator.class)
@Requires(property = TokenCacheProperties.PREFIX + ".enabled", notEquals = "false")
class TokenCacheFactory {

    @Singleton
    VerifiedTokenCache verifiedTokenCache(TokenCacheProperties properties) {
        return new VerifiedTokenCache(properties);
    }
}
