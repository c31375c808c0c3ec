package io.chirp.search.domain;

import java.time.Instant;

/**
 * What the users index knows of a user: the searchable profile from user events. Follower,
 * following and tweet counts are not in these events, so search answers them as 0.
 *
 * @param createdAt the creation time encoded in the user id
 */
public record UserProfile(long id, String username, String displayName, String bio, Instant createdAt) {
}
