package io.chirp.tweet.domain;

import java.time.Clock;
import java.util.UUID;

import io.chirp.platform.events.LikeSagaCommand;
import io.chirp.platform.events.LikeSagaReply;
import jakarta.inject.Singleton;

/**
 * This service's step of like-service's like saga: confirm that the tweet exists (not deleted)
 * and move its {@code likeCount} by the command's delta, once per saga; always answer, so that
 * like-service can finish the saga or compensate it.
 */
@Singleton
public class LikeSagaService {

    private final TweetStore tweets;
    private final Clock clock;

    public LikeSagaService(TweetStore tweets, Clock clock) {
        this.tweets = tweets;
        this.clock = clock;
    }

    /** @return whether the like was confirmed (the tweet is live) */
    public boolean onCommand(LikeSagaCommand command) {
        return tweets.answerLike(command.tweetId(), command.delta(), command.sagaId(),
                confirmed -> new LikeSagaReply(UUID.randomUUID(), clock.instant(), LikeSagaReply.SCHEMA_VERSION,
                        command.sagaId(), command.tweetId(), command.userId(), command.delta(), confirmed));
    }
}
