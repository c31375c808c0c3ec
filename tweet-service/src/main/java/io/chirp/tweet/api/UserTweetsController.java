package io.chirp.tweet.api;

import io.chirp.platform.web.ApiIds;
import io.chirp.platform.web.Page;
import io.chirp.tweet.domain.TweetService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The user timeline, {@code GET /api/v1/users/{id}/tweets}: served here, where the tweets live. */
@Controller("/api/v1/users")
@ExecuteOn(TaskExecutors.BLOCKING)
class UserTweetsController {

    private final TweetService tweets;

    UserTweetsController(TweetService tweets) {
        this.tweets = tweets;
    }

    @Get("/{id}/tweets")
    @Secured(SecurityRule.IS_ANONYMOUS)
    Page<TweetResponse> timeline(@PathVariable String id,
                                 @QueryValue(defaultValue = "20") @Min(1) @Max(100) int limit,
                                 @Nullable @QueryValue String cursor) {
        return Pages.of(tweets.userTimeline(ApiIds.parse("id", id), Pages.before(cursor), limit));
    }
}
