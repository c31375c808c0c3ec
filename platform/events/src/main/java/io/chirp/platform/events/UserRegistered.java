package io.chirp.platform.events;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;

/**
 * A user registered (registration saga completed). Topic {@link Topics#USER_EVENTS}, key the
 * user id. Consumers denormalise {@code username} (tweet-service) and index the user (search).
 *
 * @param eventId       unique per event; consumers deduplicate on it
 * @param occurredAt    when the change committed
 * @param schemaVersion {@value #SCHEMA_VERSION}
 * @param userId        the new user's 64-bit id
 * @param username      as the user typed it (case kept)
 * @param displayName   may be empty, never null
 */
@Serdeable
public record UserRegistered(UUID eventId, Instant occurredAt, int schemaVersion, long userId, String username,
                             String displayName) {

    public static final int SCHEMA_VERSION = 1;
}
