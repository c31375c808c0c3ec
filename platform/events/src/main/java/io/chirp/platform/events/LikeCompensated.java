package io.chirp.platform.events;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;

/**
 * A like was removed again because its tweet does not exist (or was deleted while the like
 * saga ran). Topic {@link Topics#LIKE_EVENTS}, key the tweet id.
 */
@Serdeable
public record LikeCompensated(UUID eventId, Instant occurredAt, int schemaVersion, UUID sagaId, long tweetId,
                              long userId) {

    public static final int SCHEMA_VERSION = 1;
}
