package io.chirp.user.api;

import java.util.List;

import io.chirp.platform.web.ApiIds;
import io.chirp.user.domain.FollowService;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Service-to-service reads, not part of the public API (the gateway does not route
 * {@code /internal/**}): a user's follower ids in pages, for fan-out and feed rebuilds.
 */
@Controller("/internal/users")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(SecurityRule.IS_ANONYMOUS)
class InternalController {

    private final FollowService follows;

    InternalController(FollowService follows) {
        this.follows = follows;
    }

    /** Ids ascending after {@code after} (exclusive; "0" for the first page). */
    @Get("/{id}/follower-ids")
    FollowerIds followerIds(@PathVariable String id, @QueryValue(defaultValue = "0") String after,
                            @QueryValue(defaultValue = "1000") @Min(1) @Max(10000) int limit) {
        long afterId = "0".equals(after) ? 0 : ApiIds.parse("after", after);
        List<Long> ids = follows.followerIds(ApiIds.parse("id", id), afterId, limit);
        return new FollowerIds(ids.stream().map(String::valueOf).toList(),
                ids.size() == limit ? String.valueOf(ids.get(ids.size() - 1)) : null);
    }

    /** @param next the {@code after} of the next page, null on the last */
    @Serdeable
    record FollowerIds(List<String> ids, String next) {
    }
}
