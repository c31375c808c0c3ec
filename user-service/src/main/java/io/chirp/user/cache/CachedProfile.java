package io.chirp.user.cache;

import java.time.Instant;

import io.chirp.user.domain.User;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A profile as stored in Redis under {@code chirp:profile:{id}}: the public fields of the API's
 * User, as JSON (about 200 bytes). No email or password hash: nothing is cached that
 * {@code GET /api/v1/users/{id}} would not show anyone.
 */
@Serdeable
record CachedProfile(long id, String username, String displayName, String bio, long followersCount,
                     long followingCount, long tweetCount, Instant createdAt) {

    static CachedProfile of(User user) {
        return new CachedProfile(user.id(), user.username(), user.displayName(), user.bio(), user.followersCount(),
                user.followingCount(), user.tweetCount(), user.createdAt());
    }

    /** As a {@link User} without its email (see {@link io.chirp.user.domain.ProfileReads}). */
    User toUser() {
        return new User(id, username, null, displayName, bio, followersCount, followingCount, tweetCount, createdAt);
    }
}
