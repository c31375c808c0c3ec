package io.chirp.tweet.api;

import java.util.List;

import io.chirp.platform.web.ApiTimestamps;
import io.chirp.tweet.domain.Tweet;
import io.micronaut.serde.annotation.Serdeable;

/** The Tweet of API.md: ids as strings, nulls shown. */
@Serdeable
record TweetResponse(String id, String authorId, String authorUsername, String text, String createdAt,
                     String replyToId, String retweetOfId, List<String> hashtags, List<String> mentions,
                     long likeCount, long retweetCount, long replyCount) {

    static TweetResponse of(Tweet t) {
        return new TweetResponse(Long.toString(t.id()), Long.toString(t.authorId()), t.authorUsername(), t.text(),
                ApiTimestamps.format(t.createdAt()), idOrNull(t.replyToId()), idOrNull(t.retweetOfId()),
                t.hashtags(), t.mentions(), t.likeCount(), t.retweetCount(), t.replyCount());
    }

    private static String idOrNull(Long id) {
        return id == null ? null : Long.toString(id);
    }
}
