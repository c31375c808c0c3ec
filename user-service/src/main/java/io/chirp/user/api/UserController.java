package io.chirp.user.api;

import java.net.URI;
import java.util.Optional;

import io.chirp.platform.web.ApiIds;
import io.chirp.platform.web.Page;
import io.chirp.platform.web.PageCursor;
import io.chirp.user.domain.FollowService;
import io.chirp.user.domain.FollowStore;
import io.chirp.user.domain.ProfileService;
import io.chirp.user.domain.RegistrationService;
import io.chirp.user.domain.User;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Users and the follow graph (API.md, "Users and auth"). JDBC is blocking: runs on the blocking pool. */
@Controller("/api/v1/users")
@ExecuteOn(TaskExecutors.BLOCKING)
class UserController {

    private final RegistrationService registrations;
    private final ProfileService profiles;
    private final FollowService follows;

    UserController(RegistrationService registrations, ProfileService profiles, FollowService follows) {
        this.registrations = registrations;
        this.profiles = profiles;
        this.follows = follows;
    }

    @Post
    @Secured(SecurityRule.IS_ANONYMOUS)
    HttpResponse<UserResponse> register(@Valid @Body Requests.CreateUserRequest request) {
        User user = registrations.register(request.username(), request.email(), request.password(),
                request.displayName(), request.bio());
        return HttpResponse.created(UserResponse.of(user), URI.create("/api/v1/users/" + user.id()));
    }

    @Get("/{id}")
    @Secured(SecurityRule.IS_ANONYMOUS)
    UserResponse get(@PathVariable String id) {
        return UserResponse.of(profiles.get(ApiIds.parse("id", id)));
    }

    @Get("/by-username/{username}")
    @Secured(SecurityRule.IS_ANONYMOUS)
    UserResponse byUsername(@PathVariable String username) {
        return UserResponse.of(profiles.byUsername(username));
    }

    @Patch("/me")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    UserResponse update(Authentication caller, @Valid @Body Requests.UpdateProfileRequest request) {
        return UserResponse.of(profiles.update(callerId(caller), request.displayName(), request.bio()));
    }

    @Delete("/me")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Status(HttpStatus.ACCEPTED)
    Requests.DeletionResponse delete(Authentication caller) {
        return new Requests.DeletionResponse(profiles.requestDeletion(callerId(caller)).toString());
    }

    @Put("/me/following/{userId}")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Status(HttpStatus.NO_CONTENT)
    void follow(Authentication caller, @PathVariable String userId) {
        follows.follow(callerId(caller), ApiIds.parse("userId", userId));
    }

    @Delete("/me/following/{userId}")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Status(HttpStatus.NO_CONTENT)
    void unfollow(Authentication caller, @PathVariable String userId) {
        follows.unfollow(callerId(caller), ApiIds.parse("userId", userId));
    }

    @Get("/{id}/followers")
    @Secured(SecurityRule.IS_ANONYMOUS)
    Page<UserResponse> followers(@PathVariable String id,
                                 @QueryValue(defaultValue = "20") @Min(1) @Max(100) int limit,
                                 @Nullable @QueryValue String cursor) {
        return page(follows.followers(ApiIds.parse("id", id), after(cursor), limit));
    }

    @Get("/{id}/following")
    @Secured(SecurityRule.IS_ANONYMOUS)
    Page<UserResponse> following(@PathVariable String id,
                                 @QueryValue(defaultValue = "20") @Min(1) @Max(100) int limit,
                                 @Nullable @QueryValue String cursor) {
        return page(follows.following(ApiIds.parse("id", id), after(cursor), limit));
    }

    private static Optional<FollowStore.Cursor> after(String cursor) {
        return Optional.ofNullable(cursor).map(PageCursor::decode).map(c -> new FollowStore.Cursor(c.sortKey(), c.id()));
    }

    private static Page<UserResponse> page(FollowService.UserPage page) {
        return new Page<>(page.items().stream().map(UserResponse::of).toList(),
                page.next().map(c -> new PageCursor(c.createdAtMicros(), c.id()).encode()).orElse(null));
    }

    static long callerId(Authentication caller) {
        return Long.parseLong(caller.getName());
    }
}
