package io.chirp.search.api;

import java.util.Optional;

import io.chirp.platform.web.Page;
import io.chirp.search.domain.SearchService;
import io.chirp.search.domain.SortKey;
import io.chirp.search.domain.TweetHits;
import io.chirp.search.domain.TweetView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Tweet and user search (API.md, "Search"). Public reads. The Elasticsearch client blocks:
 * runs on the blocking pool.
 */
@Controller("/api/v1/search")
@ExecuteOn(TaskExecutors.BLOCKING)
class SearchController {

    private final SearchService search;

    SearchController(SearchService search) {
        this.search = search;
    }

    /** {@code q}: words (all must match), {@code #tag}, {@code @username}, {@code "exact phrase"}; 1..200 characters. */
    @Get("/tweets")
    Page<TweetView> tweets(@Nullable @QueryValue String q,
                           @QueryValue(defaultValue = "20") @Min(1) @Max(100) int limit,
                           @Nullable @QueryValue String cursor) {
        Optional<SortKey> after = Optional.ofNullable(cursor).map(SearchCursor::decode);
        TweetHits hits = search.tweets(q, limit, after);
        return new Page<>(hits.items(), hits.next().map(SearchCursor::encode).orElse(null));
    }

    /** {@code q}: a prefix of a username or of the words of a display name, accents ignored. */
    @Get("/users")
    Page<UserResponse> users(@Nullable @QueryValue String q,
                             @QueryValue(defaultValue = "20") @Min(1) @Max(100) int limit) {
        return new Page<>(search.users(q, limit).stream().map(UserResponse::of).toList(), null);
    }
}
