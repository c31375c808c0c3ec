package io.chirp.tweet.domain;

/**
 * The authenticated user of a request.
 *
 * @param username the token's {@code username} claim; null when the token has none
 */
public record Caller(long userId, String username) {
}
