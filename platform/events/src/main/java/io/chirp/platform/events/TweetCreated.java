package io.chirp.platform.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A tweet (or reply, or retweet) was posted. Topic {@link Topics#TWEET_EVENTS}, key the
 * tweet id. timeline-service fans it out; search-service indexes it.
 *
 * @param tweetId        64-bit id, co-located with the author (same logical shard)
 * @param authorId       the author's user id
 * @param authorUsername denormalised from user events
 * @param text           as stored (trimmed)
 * @param hashtags       lower-cased, without {@code #}, in order of first appearance
 * @param mentions       usernames mentioned, without {@code @}, as typed
 * @param replyToId      the parent tweet of a reply, else null
 * @param retweetOfId    the original tweet of a retweet, else null
 * @param createdAt      creation time (also encoded in the id)
 */
@Serdeable
public record TweetCreated(UUID eventId, Instant occurredAt, int schemaVersion, long tweetId, long authorId,
                           String authorUsername, String text, List<String> hashtags, List<String> mentions,
                           @Nullable Long replyToId, @Nullable Long retweetOfId, Instant createdAt) {

    public static final int SCHEMA_VERSION = 1;
}
