package io.chirp.platform.events;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The account-deletion saga finished: the user, their follow edges and their username and email
 * claims are gone. Topic {@link Topics#USER_EVENTS}, key the user id.
 *
 * @param deletionId the saga instance from {@code UserDeletionRequested}
 */
@Serdeable
public record UserDeleted(UUID eventId, Instant occurredAt, int schemaVersion, long userId, UUID deletionId) {

    public static final int SCHEMA_VERSION = 1;
}
