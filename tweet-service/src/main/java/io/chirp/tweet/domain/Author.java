package io.chirp.tweet.domain;

/**
 * An author as this service knows them (denormalised from user events or from a token).
 *
 * @param deleted the account-deletion saga reached this service: no more posts
 */
public record Author(long userId, String username, boolean deleted) {
}
