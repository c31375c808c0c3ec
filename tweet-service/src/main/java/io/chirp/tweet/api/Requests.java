package io.chirp.tweet.api;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Request and response bodies of the Tweets section of API.md. The text rules (code points,
 * control characters) are the domain's ({@code TweetText}), so they hold whatever the entry point.
 */
final class Requests {

    private Requests() {
    }

    /** @param replyToId the parent's id as a string, for a reply */
    @Serdeable
    record CreateTweetRequest(@Nullable String text, @Nullable String replyToId) {
    }

    /** The internal batch read: up to 200 ids as strings. */
    @Serdeable
    record BatchRequest(@Nullable List<String> ids) {
    }

    @Serdeable
    record BatchResponse(List<TweetResponse> items) {
    }
}
