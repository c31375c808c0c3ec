package io.chirp.user.domain;

import java.util.UUID;

/**
 * The persisted state of one registration saga, on the new user's shard.
 *
 * @param usernameKey the lower-cased username (the claim's value)
 * @param emailKey    the lower-cased email (the claim's value)
 */
public record Registration(UUID id, long userId, String usernameKey, String emailKey, State state) {

    /** STARTED → DONE (user created) or → COMPENSATED (claims released). */
    public enum State {
        STARTED,
        DONE,
        COMPENSATED
    }
}
