package io.chirp.search.api;

import io.chirp.search.domain.TrendWindow;
import io.chirp.search.domain.TrendsService;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** {@code GET /api/v1/trends}: top hashtags over the last hour (default) or day. Public. */
@Controller("/api/v1/trends")
@ExecuteOn(TaskExecutors.BLOCKING)
class TrendsController {

    private final TrendsService trends;

    TrendsController(TrendsService trends) {
        this.trends = trends;
    }

    @Get
    TrendsResponse trends(@QueryValue(defaultValue = "10") @Min(1) @Max(100) int limit,
                          @QueryValue(defaultValue = "1h") String window) {
        return new TrendsResponse(trends.top(TrendWindow.parse(window), limit));
    }
}
