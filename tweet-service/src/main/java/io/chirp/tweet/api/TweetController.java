package io.chirp.tweet.api;

import java.net.URI;

import io.chirp.platform.web.ApiIds;
import io.chirp.platform.web.Page;
import io.chirp.tweet.domain.Caller;
import io.chirp.tweet.domain.Tweet;
import io.chirp.tweet.domain.TweetService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Tweets, replies and retweets (API.md, "Tweets"). JDBC is blocking: runs on the blocking pool. */
@Controller("/api/v1/tweets")
@ExecuteOn(TaskExecutors.BLOCKING)
class TweetController {

    private final TweetService tweets;

    TweetController(TweetService tweets) {
        this.tweets = tweets;
    }

    @Post
    @Secured(SecurityRule.IS_AUTHENTICATED)
    HttpResponse<TweetResponse> post(Authentication caller, @Body Requests.CreateTweetRequest request) {
        Long replyToId = request.replyToId() == null ? null : ApiIds.parse("replyToId", request.replyToId());
        return created(tweets.post(caller(caller), request.text(), replyToId));
    }

    @Get("/{id}")
    @Secured(SecurityRule.IS_ANONYMOUS)
    TweetResponse get(@PathVariable String id) {
        return TweetResponse.of(tweets.get(ApiIds.parse("id", id)));
    }

    @Delete("/{id}")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    @Status(HttpStatus.NO_CONTENT)
    void delete(Authentication caller, @PathVariable String id) {
        tweets.delete(caller(caller), ApiIds.parse("id", id));
    }

    @Post("/{id}/retweets")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    HttpResponse<TweetResponse> retweet(Authentication caller, @PathVariable String id) {
        return created(tweets.retweet(caller(caller), ApiIds.parse("id", id)));
    }

    @Get("/{id}/replies")
    @Secured(SecurityRule.IS_ANONYMOUS)
    Page<TweetResponse> replies(@PathVariable String id,
                                @QueryValue(defaultValue = "20") @Min(1) @Max(100) int limit,
                                @Nullable @QueryValue String cursor) {
        return Pages.of(tweets.replies(ApiIds.parse("id", id), Pages.before(cursor), limit));
    }

    private static HttpResponse<TweetResponse> created(Tweet tweet) {
        return HttpResponse.created(TweetResponse.of(tweet), URI.create("/api/v1/tweets/" + tweet.id()));
    }

    /** The token's subject is the user id; its {@code username} claim the username. */
    static Caller caller(Authentication authentication) {
        Object username = authentication.getAttributes().get("username");
        return new Caller(Long.parseLong(authentication.getName()), username == null ? null : username.toString());
    }
}
