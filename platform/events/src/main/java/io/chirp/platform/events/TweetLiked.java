package io.chirp.platform.events;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;

/**
 * A like was counted (the like saga confirmed it). Topic {@link Topics#LIKE_EVENTS}, key the
 * tweet id. {@code likeCount} is the tweet's like count after this like.
 */
@Serdeable
public record TweetLiked(UUID eventId, Instant occurredAt, int schemaVersion, long tweetId, long userId,
                         long likeCount) {

    public static final int SCHEMA_VERSION = 1;
}
