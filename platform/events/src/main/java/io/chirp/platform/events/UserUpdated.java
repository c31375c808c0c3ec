package io.chirp.platform.events;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;

/**
 * A user's profile changed. Topic {@link Topics#USER_EVENTS}, key the user id.
 *
 * @param displayName the new display name (empty when cleared)
 * @param bio         the new bio (empty when cleared)
 */
@Serdeable
public record UserUpdated(UUID eventId, Instant occurredAt, int schemaVersion, long userId, String username,
                          String displayName, String bio) {

    public static final int SCHEMA_VERSION = 1;
}
