package io.chirp.platform.database;

import java.time.Duration;
import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotEmpty;

/**
 * The shard map ({@code chirp.shards.*}): which physical database (a datasource name) holds
 * each of the 8192 logical shards, and how long work waits at a logical shard's write fence.
 *
 * @param ranges    {@code "<first>-<last>: <datasource>"} entries covering 0–8191 exactly once
 * @param overrides {@code "<logical>: <datasource>"} entries for logical shards moved elsewhere
 * @param fenceWait how long a request on a logical shard fenced by a shard move waits before
 *                  it is answered 503 (default 5 s; a move's fence lasts well under a second)
 */
@ConfigurationProperties("chirp.shards")
public record ShardsProperties(@NotEmpty List<String> ranges,
                               @Nullable List<String> overrides,
                               @Bindable(defaultValue = "5s") Duration fenceWait) {

    public List<String> overridesOrEmpty() {
        return overrides == null ? List.of() : overrides;
    }
}
