package io.chirp.platform.events;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;

/**
 * {@code followerId} stopped following {@code followeeId}. Topic {@link Topics#USER_EVENTS},
 * key the follower id.
 */
@Serdeable
public record UserUnfollowed(UUID eventId, Instant occurredAt, int schemaVersion, long followerId, long followeeId) {

    public static final int SCHEMA_VERSION = 1;
}
