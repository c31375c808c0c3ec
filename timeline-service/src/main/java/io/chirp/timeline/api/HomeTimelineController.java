package io.chirp.timeline.api;

import java.util.concurrent.CompletionStage;

import io.chirp.platform.web.ApiIds;
import io.chirp.platform.web.DependencyUnavailableException;
import io.chirp.platform.web.Page;
import io.chirp.platform.web.PageCursor;
import io.chirp.timeline.domain.HomeTimelineService;
import io.chirp.timeline.domain.TweetView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * {@code GET /api/v1/timelines/home}: the caller's home timeline, newest first. Runs on the
 * event loop: every step below is non-blocking (async Lettuce, the non-blocking HTTP client).
 */
@Controller("/api/v1/timelines")
class HomeTimelineController {

    private final HomeTimelineService timelines;

    HomeTimelineController(HomeTimelineService timelines) {
        this.timelines = timelines;
    }

    @Get("/home")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    CompletionStage<Page<TweetView>> home(Authentication caller,
                                         @QueryValue(defaultValue = "20") @Min(1) @Max(100) int limit,
                                         @Nullable @QueryValue String cursor) {
        Long before = cursor == null ? null : PageCursor.decode(cursor).id();
        long userId = ApiIds.parse("sub", caller.getName());
        return timelines.read(userId, before, limit)
                .<Page<TweetView>>thenApply(page -> new Page<>(page.items(),
                        page.nextBefore().map(id -> new PageCursor(id, id).encode()).orElse(null)))
                .exceptionally(e -> {
                    // Redis and the fan-out-on-read sources both failed: no degraded answer is possible
                    throw new DependencyUnavailableException("the feed store and tweet-service", e);
                });
    }
}
