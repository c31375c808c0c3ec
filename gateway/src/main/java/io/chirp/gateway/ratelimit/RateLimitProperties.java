package io.chirp.gateway.ratelimit;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

/**
 * Token buckets at the edge ({@code chirp.gateway.rate-limit.*}). Generous by default so load
 * tests are not throttled unless asked.
 *
 * @param enabled              whether requests are limited at all
 * @param perIpCapacity        burst size per client address, in requests
 * @param perIpRefillPerSecond sustained requests per second per client address
 * @param perTokenCapacity     burst size per bearer token (one signed-in user)
 * @param perTokenRefillPerSecond sustained requests per second per bearer token
 * @param keyPrefix            prefix of the buckets' Redis keys
 */
@ConfigurationProperties("chirp.gateway.rate-limit")
public record RateLimitProperties(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "20000") @Min(1) int perIpCapacity,
        @Bindable(defaultValue = "10000") @Min(1) int perIpRefillPerSecond,
        @Bindable(defaultValue = "5000") @Min(1) int perTokenCapacity,
        @Bindable(defaultValue = "2000") @Min(1) int perTokenRefillPerSecond,
        @Bindable(defaultValue = "rl") String keyPrefix) {
}
