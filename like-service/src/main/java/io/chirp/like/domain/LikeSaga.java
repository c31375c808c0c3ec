package io.chirp.like.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * The persisted state of one like (or unlike) saga.
 *
 * @param delta +1 like, -1 unlike
 */
public record LikeSaga(UUID id, long tweetId, long userId, int delta, State state, Instant updatedAt) {

    /**
     * STARTED (recorded, the like row not yet known to be written) → COUNTED (like row and
     * counter changed) → SENT (command to tweet-service sent) → row deleted when tweet-service
     * answered (confirmed, or compensated).
     */
    public enum State {
        STARTED,
        COUNTED,
        SENT
    }
}
