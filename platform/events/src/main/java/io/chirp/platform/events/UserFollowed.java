package io.chirp.platform.events;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;

/**
 * {@code followerId} started following {@code followeeId} (the follow saga completed; published
 * once per state change, not per request). Topic {@link Topics#USER_EVENTS}, key the follower
 * id, so one follower's follows and unfollows stay in order.
 */
@Serdeable
public record UserFollowed(UUID eventId, Instant occurredAt, int schemaVersion, long followerId, long followeeId) {

    public static final int SCHEMA_VERSION = 1;
}
