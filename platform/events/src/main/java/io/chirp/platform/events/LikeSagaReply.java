package io.chirp.platform.events;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;

/**
 * tweet-service's answer to a {@link LikeSagaCommand} (topic {@link Topics#LIKE_SAGA_REPLIES},
 * key the tweet id). {@code confirmed} false means the tweet does not exist or is deleted:
 * like-service compensates (removes the like and its count) and publishes
 * {@link LikeCompensated}.
 */
@Serdeable
public record LikeSagaReply(UUID eventId, Instant occurredAt, int schemaVersion, UUID sagaId, long tweetId,
                            long userId, int delta, boolean confirmed) {

    public static final int SCHEMA_VERSION = 1;
}
