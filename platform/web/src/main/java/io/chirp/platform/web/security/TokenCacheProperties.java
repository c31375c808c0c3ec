package io.chirp.platform.web.security;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

/**
 * The cache of verified bearer tokens ({@code chirp.security.token-cache.*}), see
 * {@link VerifiedTokenCache}.
 *
 * @param enabled whether verified tokens are cached at all; {@code false} verifies every token
 *                on every request, as Micronaut Security does on its own
 * @param maxSize the most tokens held at once (one entry per distinct token string, a few
 *                hundred bytes each); beyond it the least useful entries are evicted
 * @param maxTtl  the longest an entry is served, even if its token expires later: bounds how
 *                long a token stays accepted after its signing key left the JWKS
 */
@ConfigurationProperties(TokenCacheProperties.PREFIX)
public record TokenCacheProperties(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "10000") @Min(1) long maxSize,
        @Bindable(defaultValue = "5m") Duration maxTtl) {

    /** The configuration prefix. */
    public static final String PREFIX = "chirp.security.token-cache";
}
