package io.chirp.tweet.domain;

import java.time.Instant;
import java.util.List;

/**
 * A tweet, reply or retweet as read from its author's shard.
 *
 * @param id             64-bit id on the author's logical shard; its timestamp is {@code createdAt}
 * @param authorUsername the author's username from the local authors table; null while unknown
 * @param text           trimmed; a retweet carries the original's text
 * @param replyToId      the parent of a reply, else null
 * @param retweetOfId    the original of a retweet, else null
 * @param hashtags       lower-cased, without {@code #}, in order of first appearance
 * @param mentions       usernames of known users mentioned, without {@code @}, as typed
 */
public record Tweet(long id, long authorId, String authorUsername, String text, Long replyToId, Long retweetOfId,
                    List<String> hashtags, List<String> mentions, long likeCount, long retweetCount,
                    long replyCount, Instant createdAt) {

    public Tweet {
        hashtags = List.copyOf(hashtags);
        mentions = List.copyOf(mentions);
    }
}
