package io.chirp.search.domain;

import io.micronaut.serde.annotation.Serdeable;

/** A hashtag (lower-cased, without {@code #}) and how many live tweets in the window carry it. */
@Serdeable
public record Trend(String hashtag, long tweetCount) {
}
