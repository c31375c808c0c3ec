package io.chirp.platform.events;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;

/**
 * A participant of the account-deletion saga finished its part for {@code userId} (removed
 * the user's tweets, likes, feed or search documents). Topic
 * {@link Topics#ACCOUNT_DELETION_REPLIES}, key the user id. user-service completes the saga
 * once every participant has acknowledged.
 *
 * @param deletionId  the saga instance from {@link UserDeletionRequested}
 * @param participant the service that finished, e.g. {@code tweet-service}
 */
@Serdeable
public record AccountDeletionStepDone(UUID eventId, Instant occurredAt, int schemaVersion, UUID deletionId,
                                      long userId, String participant) {

    public static final int SCHEMA_VERSION = 1;
}
