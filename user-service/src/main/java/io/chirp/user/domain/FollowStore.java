package io.chirp.user.domain;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.chirp.platform.events.UserFollowed;
import io.chirp.platform.events.UserUnfollowed;

/**
 * Follow edges, stored twice: {@code following} on the follower's shard and {@code followers}
 * on the followee's shard, each with its counter moved in the same transaction (no COUNT(*)).
 */
public interface FollowStore {

    /** The result of the follow saga's second step. */
    enum SecondStep {
        /** the edge was written now (a state change: the event was written too) */
        WRITTEN,
        /** the edge already existed (a repeated request: no event) */
        ALREADY,
        /** the followee does not exist or is being deleted: compensate the first step */
        REFUSED
    }

    /**
     * Follow step 1 on the follower's shard: the {@code following} row, the follower's
     * {@code following_count} and the saga row (PENDING), in one transaction.
     */
    void writeFollowing(long followerId, long followeeId);

    /** Follow step 2 on the followee's shard: the {@code followers} row, the count and the event. */
    SecondStep writeFollower(long followerId, long followeeId, UserFollowed event);

    /** Compensation of step 1 (and unfollow step 1): removes the row and decrements the count. */
    void removeFollowing(long followerId, long followeeId);

    /** Unfollow step 2 on the followee's shard; true (and the event written) when an edge was removed. */
    boolean removeFollower(long followerId, long followeeId, UserUnfollowed event);

    /**
     * Account deletion of the followee, on the follower's shard: removes the {@code following}
     * row, decrements the follower's {@code following_count} and writes {@code event}, all only
     * when the row was still there (true).
     */
    boolean removeFollowing(long followerId, long followeeId, UserUnfollowed event);

    /**
     * Account deletion of the follower, on the followee's shard: removes the {@code followers}
     * row and decrements the count, without an event (the follower's side publishes it).
     */
    void removeFollowerRow(long followerId, long followeeId);

    /** Followee ids of {@code userId} in ascending id order after {@code afterId}, from its shard. */
    List<Long> followeeIds(long userId, long afterId, int limit);

    /** Marks the saga row on the follower's shard done (deletes it). */
    void finishSaga(long followerId, long followeeId);

    /** Follow sagas still pending after {@code olderThan}: crashed between the two steps. */
    List<long[]> stalledSagas(Duration olderThan);

    /** A page of ids (newest edge first) from the owning shard. */
    IdPage followers(long userId, Optional<Cursor> after, int limit);

    /** A page of ids (newest edge first) from the owning shard. */
    IdPage following(long userId, Optional<Cursor> after, int limit);

    /** Follower ids in ascending id order after {@code afterId}, for fan-out and rebuilds. */
    List<Long> followerIds(long userId, long afterId, int limit);

    /** Where a page ended. */
    record Cursor(long createdAtMicros, long id) {
    }

    /** Ids of one page and where the next starts (empty on the last page). */
    record IdPage(List<Long> ids, Optional<Cursor> next) {
    }
}
