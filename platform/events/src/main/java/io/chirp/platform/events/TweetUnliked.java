package io.chirp.platform.events;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;

/** A like was withdrawn. Topic {@link Topics#LIKE_EVENTS}, key the tweet id. */
@Serdeable
public record TweetUnliked(UUID eventId, Instant occurredAt, int schemaVersion, long tweetId, long userId,
                           long likeCount) {

    public static final int SCHEMA_VERSION = 1;
}
