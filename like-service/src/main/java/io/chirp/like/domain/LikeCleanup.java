package io.chirp.like.domain;

import jakarta.inject.Singleton;

/** What other services' deletions mean for likes. */
@Singleton
public class LikeCleanup {

    private final LikeStore likes;
    private final LikeService sagas;

    public LikeCleanup(LikeStore likes, LikeService sagas) {
        this.likes = likes;
        this.sagas = sagas;
    }

    /** A deleted tweet takes its likes (and the likers' likes_by_user rows) with it. */
    public void onTweetDeleted(long tweetId) {
        for (LikeStore.Like like : likes.allLikersOf(tweetId)) {
            likes.removeUserLike(like.userId(), like.likedAt(), tweetId);
        }
        likes.dropTweet(tweetId);
    }

    /**
     * Account deletion: every like of the user is withdrawn by the unlike saga
     * ({@link LikeService#unlike}), which corrects the tweet's count here and on the tweet. Being
     * a saga, it is persisted first and resumed by recovery if Cassandra fails half-way, so a
     * count is never left behind nor moved twice when this event is applied again. (Found by the
     * fault-injection suite: withdrawing a like outside the saga, a failure between releasing the
     * claim and moving the counter left a count of 1 with no row, since a retry found nothing to
     * release.)
     */
    public void onUserDeleted(long userId) {
        for (LikeStore.Like like : likes.allLikesBy(userId)) {
            sagas.unlike(userId, like.tweetId());
            likes.removeUserLike(userId, like.likedAt(), like.tweetId());
        }
    }
}
