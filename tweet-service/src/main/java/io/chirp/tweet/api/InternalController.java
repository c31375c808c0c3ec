package io.chirp.tweet.api;

import java.util.ArrayList;
import java.util.List;

import io.chirp.platform.web.ApiIds;
import io.chirp.platform.web.InvalidRequestException;
import io.chirp.tweet.domain.TweetService;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/**
 * Service-to-service reads, not part of the public API (the gateway does not route
 * {@code /internal/**}): many tweets by id in one call, for timeline hydration.
 */
@Controller("/internal/tweets")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(SecurityRule.IS_ANONYMOUS)
class InternalController {

    private final TweetService tweets;

    InternalController(TweetService tweets) {
        this.tweets = tweets;
    }

    /**
     * {@code {"ids": [...]}} (at most 200) → {@code {"items": [Tweet…]}} in the order asked,
     * without the missing and deleted ones. One query per physical shard, in parallel.
     */
    @Post("/batch")
    Requests.BatchResponse batch(@Body Requests.BatchRequest request) {
        if (request.ids() == null) {
            throw new InvalidRequestException("ids", "is required");
        }
        List<Long> ids = new ArrayList<>(request.ids().size());
        for (String id : request.ids()) {
            ids.add(ApiIds.parse("ids", id));
        }
        return new Requests.BatchResponse(tweets.batch(ids).stream().map(TweetResponse::of).toList());
    }
}
