package io.chirp.tweet.config;

import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotEmpty;

/**
 * The shard map ({@code chirp.shards.*}): which physical database (a datasource name) holds
 * each of the 8192 logical shards. A tweet lives on its author's logical shard.
 *
 * @param ranges    {@code "<first>-<last>: <datasource>"} entries covering 0–8191 exactly once
 * @param overrides {@code "<logical>: <datasource>"} entries for logical shards moved elsewhere
 */
@ConfigurationProperties("chirp.shards")
public record ShardsProperties(@NotEmpty List<String> ranges, @Nullable List<String> overrides) {

    public List<String> overridesOrEmpty() {
        return overrides == null ? List.of() : overrides;
    }
}
