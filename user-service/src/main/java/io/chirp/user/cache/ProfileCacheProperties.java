package io.chirp.user.cache;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;

/**
 * The profile cache ({@code chirp.profile-cache.*}), see {@link ProfileCache}.
 *
 * @param enabled           whether profiles are cached at all ({@code CHIRP_PROFILE_CACHE_ENABLED});
 *                          {@code false} reads every profile from PostgreSQL and never connects to
 *                          Redis. All instances must agree: an instance with the cache off does not
 *                          invalidate what the others cached (its own events still do, through the
 *                          others' listener)
 * @param ttl               how long an entry lives at least ({@code CHIRP_PROFILE_CACHE_TTL}): the bound
 *                          on staleness should every invalidation of a change be lost
 * @param ttlJitter         an entry lives {@code ttl × (1 + u)} with {@code u} uniform in
 *                          {@code [0, ttlJitter)}, so entries filled together do not expire together
 * @param commandTimeout    the longest a read or an invalidation waits on Redis before it gives up on it
 *                          (the read then goes to PostgreSQL)
 * @param reconnectInterval after a failed attempt to connect, how long reads go straight to PostgreSQL
 *                          before the next attempt (once connected, Lettuce reconnects on its own)
 */
@ConfigurationProperties("chirp.profile-cache")
public record ProfileCacheProperties(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "5m") Duration ttl,
        @Bindable(defaultValue = "0.1") @DecimalMin("0") @DecimalMax("1") double ttlJitter,
        @Bindable(defaultValue = "500ms") Duration commandTimeout,
        @Bindable(defaultValue = "5s") Duration reconnectInterval) {
}
