package io.chirp.like.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chirp.like.domain.Exceptions;
import io.chirp.like.domain.LikeService;
import io.chirp.like.domain.LikeStore;
import io.chirp.like.domain.TweetDirectory;
import io.chirp.platform.web.ApiIds;
import io.chirp.platform.web.ApiTimestamps;
import io.chirp.platform.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Likes (API.md, "Likes"). The Cassandra driver is called synchronously here: blocking pool. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
class LikeController {

    private final LikeService likes;
    private final LikeStore store;
    private final TweetDirectory directory;

    LikeController(LikeService likes, LikeStore store, TweetDirectory directory) {
        this.likes = likes;
        this.store = store;
        this.directory = directory;
    }

    @Put("/tweets/{id}/likes/me")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Status(HttpStatus.NO_CONTENT)
    void like(Authentication caller, @PathVariable String id) {
        likes.like(ApiIds.parse("sub", caller.getName()), ApiIds.parse("id", id));
    }

    @Delete("/tweets/{id}/likes/me")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Status(HttpStatus.NO_CONTENT)
    void unlike(Authentication caller, @PathVariable String id) {
        likes.unlike(ApiIds.parse("sub", caller.getName()), ApiIds.parse("id", id));
    }

    /** One liker: {@code {userId, likedAt}}. */
    @Serdeable
    record Liker(String userId, String likedAt) {
    }

    /** The likers page of API.md: the page plus the total {@code count}. */
    @Serdeable
    record LikersPage(List<Liker> items, String nextCursor, long count) {
    }

    @Get("/tweets/{id}/likes")
    @Secured(SecurityRule.IS_ANONYMOUS)
    LikersPage likers(@PathVariable String id, @QueryValue(defaultValue = "20") @Min(1) @Max(100) int limit,
                      @Nullable @QueryValue String cursor) {
        long tweetId = ApiIds.parse("id", id);
        if (!directory.tweetExists(tweetId)) {
            throw new Exceptions.NotFound("tweet " + tweetId);
        }
        LikeStore.Page<LikeStore.Like> page = store.likers(tweetId, Optional.ofNullable(cursor), limit);
        return new LikersPage(page.items().stream().map(l -> new Liker(Long.toString(l.userId()),
                ApiTimestamps.format(l.likedAt()))).toList(), page.next().orElse(null), store.countOf(tweetId));
    }

    @Get("/users/{id}/likes")
    @Secured(SecurityRule.IS_ANONYMOUS)
    Page<Map<String, Object>> likedBy(@PathVariable String id, @QueryValue(defaultValue = "20") @Min(1) @Max(100) int limit,
                                      @Nullable @QueryValue String cursor) {
        long userId = ApiIds.parse("id", id);
        if (!directory.userExists(userId)) {
            throw new Exceptions.NotFound("user " + userId);
        }
        LikeStore.Page<LikeStore.Like> page = store.likesBy(userId, Optional.ofNullable(cursor), limit);
        return new Page<>(directory.tweets(page.items().stream().map(LikeStore.Like::tweetId).toList()),
                page.next().orElse(null));
    }
}
