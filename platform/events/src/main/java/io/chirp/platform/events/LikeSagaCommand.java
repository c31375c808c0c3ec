package io.chirp.platform.events;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Like saga, step 2 (like-service → tweet-service, topic {@link Topics#LIKE_SAGA_COMMANDS}, key
 * the tweet id): confirm the tweet exists and move its {@code likeCount} by {@code delta}.
 * Sent at least once; tweet-service applies each {@code sagaId} once (inbox) and always
 * answers with a {@link LikeSagaReply}.
 *
 * @param sagaId  the saga instance; the idempotency key of the step
 * @param delta   +1 for a like, -1 for an unlike
 */
@Serdeable
public record LikeSagaCommand(UUID eventId, Instant occurredAt, int schemaVersion, UUID sagaId, long tweetId,
                              long userId, int delta) {

    public static final int SCHEMA_VERSION = 1;
}
