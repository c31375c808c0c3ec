package io.chirp.timeline.config;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

/**
 * Knobs of the home timeline ({@code chirp.timeline.*}).
 *
 * @param celebrityThreshold followers at or above which an author is not fanned out (their
 *                           tweets are merged at read time); 10 000 by default
 * @param feedSize           entries kept per feed (800, as Twitter's home timeline)
 * @param postsPerAuthor     recent tweet ids kept per author for backfill, rebuild and merges
 * @param fanoutBatch        followers written per Redis round trip
 * @param tweetCacheTtl      how long a hydrated tweet stays cached
 * @param inactiveAfter      a feed not read for this long expires and is no longer written
 */
@ConfigurationProperties("chirp.timeline")
public record TimelineProperties(
        @Bindable(defaultValue = "10000") @Min(1) int celebrityThreshold,
        @Bindable(defaultValue = "800") @Min(1) int feedSize,
        @Bindable(defaultValue = "200") @Min(1) int postsPerAuthor,
        @Bindable(defaultValue = "1000") @Min(1) int fanoutBatch,
        @Bindable(defaultValue = "10m") Duration tweetCacheTtl,
        @Bindable(defaultValue = "30d") Duration inactiveAfter) {
}
