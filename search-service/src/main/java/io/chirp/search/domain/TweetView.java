package io.chirp.search.domain;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The Tweet of API.md (ids as strings, {@code createdAt} RFC 3339 with milliseconds), as the
 * tweets index stores it: a search answer is built from the index alone.
 */
@Serdeable
public record TweetView(String id, String authorId, String authorUsername, String text, String createdAt,
                        @Nullable String replyToId, @Nullable String retweetOfId, List<String> hashtags,
                        List<String> mentions, long likeCount, long retweetCount, long replyCount) {
}
