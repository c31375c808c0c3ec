package io.chirp.timeline.domain;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The Tweet of API.md as the home timeline returns it (ids as strings). */
@Serdeable
public record TweetView(String id, String authorId, String authorUsername, String text, String createdAt,
                        @Nullable String replyToId, @Nullable String retweetOfId, List<String> hashtags,
                        List<String> mentions, long likeCount, long retweetCount, long replyCount) {
}
