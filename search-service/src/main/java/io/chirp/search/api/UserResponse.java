package io.chirp.search.api;

import io.chirp.platform.web.ApiTimestamps;
import io.chirp.search.domain.UserProfile;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The User of API.md. The counts live in user-service and are not in the events search
 * consumes, so search answers them as 0 (read the user from user-service for the counts).
 */
@Serdeable
record UserResponse(String id, String username, String displayName, String bio, long followersCount,
                    long followingCount, long tweetCount, String createdAt) {

    static UserResponse of(UserProfile user) {
        return new UserResponse(Long.toString(user.id()), user.username(), user.displayName(), user.bio(), 0, 0, 0,
                ApiTimestamps.format(user.createdAt()));
    }
}
