package io.chirp.user.domain;

import java.time.Instant;

/**
 * A user as stored on the user's shard.
 *
 * @param id        64-bit id carrying the user's logical shard
 * @param username  as registered (case kept); unique case-insensitively
 */
public record User(long id, String username, String email, String displayName, String bio,
                   long followersCount, long followingCount, long tweetCount, Instant createdAt) {
}
