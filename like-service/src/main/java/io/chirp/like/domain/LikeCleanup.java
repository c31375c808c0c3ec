package io.chirp.like.domain;

import java.time.Clock;
import java.util.UUID;

import io.chirp.platform.events.LikeSagaCommand;
import jakarta.inject.Singleton;

/** What other services' deletions mean for likes. */
@Singleton
public class LikeCleanup {

    private final LikeStore likes;
    private final LikeSagaMessages messages;
    private final Clock clock;

    public LikeCleanup(LikeStore likes, LikeSagaMessages messages, Clock clock) {
        this.likes = likes;
        this.messages = messages;
        this.clock = clock;
    }

    /** A deleted tweet takes its likes (and the likers' likes_by_user rows) with it. */
    public void onTweetDeleted(long tweetId) {
        for (LikeStore.Like like : likes.allLikersOf(tweetId)) {
            likes.removeUserLike(like.userId(), like.likedAt(), tweetId);
        }
        likes.dropTweet(tweetId);
    }

    /**
     * Account deletion: every like of the user is withdrawn, with the tweets' counts corrected
     * here and (through the unlike command) on the tweets themselves.
     */
    public void onUserDeleted(long userId) {
        for (LikeStore.Like like : likes.allLikesBy(userId)) {
            if (likes.release(like.tweetId(), userId, java.util.Optional.empty())) {
                likes.count(like.tweetId(), -1);
                messages.send(new LikeSagaCommand(UUID.randomUUID(), clock.instant(), LikeSagaCommand.SCHEMA_VERSION,
                        UUID.randomUUID(), like.tweetId(), userId, -1));
            }
            likes.removeUserLike(userId, like.likedAt(), like.tweetId());
        }
    }
}
