package io.chirp.user.api;

import io.chirp.platform.web.ApiTimestamps;
import io.chirp.user.domain.User;
import io.micronaut.serde.annotation.Serdeable;

/** The User of API.md; ids are strings, counts eventually consistent. */
@Serdeable
record UserResponse(String id, String username, String displayName, String bio, long followersCount,
                    long followingCount, long tweetCount, String createdAt) {

    static UserResponse of(User user) {
        return new UserResponse(Long.toString(user.id()), user.username(), user.displayName(), user.bio(),
                user.followersCount(), user.followingCount(), user.tweetCount(), ApiTimestamps.format(user.createdAt()));
    }
}
