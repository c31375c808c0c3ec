package io.chirp.platform.web.security;

import java.util.List;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The {@link VerifiedTokenCache}'s statistics as Micrometer's standard cache meters, tagged
 * {@code cache="chirp.security.token.cache"}; on {@code /prometheus}:
 * {@code cache_gets_total{result="hit"|"miss"}} (a miss is a full verification),
 * {@code cache_puts_total}, {@code cache_evictions_total}, {@code cache_eviction_weight_total}
 * and {@code cache_size}. Micronaut binds every {@link MeterBinder} bean to its registry.
 */
@Factory
@Requires(classes = {MeterBinder.class, CaffeineCacheMetrics.class})
@Requires(beans = VerifiedTokenCache.class)
class TokenCacheMetrics {

    /** The value of the {@code cache} tag. */
    static final String NAME = "chirp.security.token.cache";

    @Singleton
    MeterBinder tokenCacheMetrics(VerifiedTokenCache cache) {
        return new CaffeineCacheMetrics<>(cache.caffeine(), NAME, List.of());
    }
}
