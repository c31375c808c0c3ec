package io.chirp.search.config;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * Knobs of search-service ({@code chirp.search.*}).
 *
 * @param tweetsAlias    alias of the live tweets index ({@code tweets}); generations are {@code <alias>-v<n>}
 * @param usersAlias     alias of the live users index ({@code users})
 * @param trendsCacheTtl how long a trends answer is reused (a few seconds)
 * @param retries        attempts after the first for a batch the engine failed (listener and reindex)
 * @param retryDelay     first delay between those attempts, doubled each time
 * @param replayGroup    the consumer group a reindex replays the topics with, apart from the live one
 */
@ConfigurationProperties("chirp.search")
public record SearchProperties(
        @Bindable(defaultValue = "tweets") @NotBlank String tweetsAlias,
        @Bindable(defaultValue = "users") @NotBlank String usersAlias,
        @Bindable(defaultValue = "5s") Duration trendsCacheTtl,
        @Bindable(defaultValue = "3") @Min(0) int retries,
        @Bindable(defaultValue = "200ms") Duration retryDelay,
        @Bindable(defaultValue = "search-service-reindex") @NotBlank String replayGroup) {
}
