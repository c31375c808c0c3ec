package io.chirp.platform.events;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;

/**
 * A tweet was deleted by its author (or with its author's account). Topic
 * {@link Topics#TWEET_EVENTS}, key the tweet id, so it follows the tweet's TweetCreated.
 */
@Serdeable
public record TweetDeleted(UUID eventId, Instant occurredAt, int schemaVersion, long tweetId, long authorId) {

    public static final int SCHEMA_VERSION = 1;
}
