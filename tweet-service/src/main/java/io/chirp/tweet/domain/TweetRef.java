package io.chirp.tweet.domain;

/**
 * What a tweet points at, read whether or not it is deleted: enough to undo its counters.
 *
 * @param replyToId   the parent of a reply, else null
 * @param retweetOfId the original of a retweet, else null
 */
public record TweetRef(long id, long authorId, Long replyToId, Long retweetOfId, boolean deleted) {
}
