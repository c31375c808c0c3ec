package io.chirp.platform.events;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The account-deletion saga started for {@code userId}: each participant removes its part and
 * acknowledges on {@link Topics#ACCOUNT_DELETION_REPLIES}. Topic {@link Topics#USER_EVENTS},
 * key the user id.
 *
 * @param deletionId the saga instance, echoed in every acknowledgement
 */
@Serdeable
public record UserDeletionRequested(UUID eventId, Instant occurredAt, int schemaVersion, long userId,
                                    UUID deletionId) {

    public static final int SCHEMA_VERSION = 1;
}
