package io.chirp.user.cache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.chirp.platform.events.UserFollowed;
import io.chirp.platform.events.UserUnfollowed;
import io.chirp.user.domain.FollowStore;
import io.micronaut.context.BeanProvider;

/**
 * The {@link FollowStore} the application gets ({@link StoreDecorators}): the JDBC one, plus the deletion of the cached
 * profile whose {@code followersCount} or {@code followingCount} an edge write moved, after it
 * committed (the follower's for the {@code following} side, the followee's for the
 * {@code followers} side). A write that failed may still have committed, so it invalidates too.
 */
final class InvalidatingFollowStore implements FollowStore {

    private final FollowStore store;
    private final BeanProvider<ProfileCache> cache;

    InvalidatingFollowStore(FollowStore store, BeanProvider<ProfileCache> cache) {
        this.store = store;
        this.cache = cache;
    }

    @Override
    public void writeFollowing(long followerId, long followeeId) {
        try {
            store.writeFollowing(followerId, followeeId);
        } finally {
            invalidate(followerId);
        }
    }

    @Override
    public SecondStep writeFollower(long followerId, long followeeId, UserFollowed event) {
        SecondStep step = SecondStep.WRITTEN;
        try {
            step = store.writeFollower(followerId, followeeId, event);
            return step;
        } finally {
            if (step == SecondStep.WRITTEN) {
                invalidate(followeeId);
            }
        }
    }

    @Override
    public void removeFollowing(long followerId, long followeeId) {
        try {
            store.removeFollowing(followerId, followeeId);
        } finally {
            invalidate(followerId);
        }
    }

    @Override
    public boolean removeFollower(long followerId, long followeeId, UserUnfollowed event) {
        boolean removed = true;
        try {
            removed = store.removeFollower(followerId, followeeId, event);
            return removed;
        } finally {
            if (removed) {
                invalidate(followeeId);
            }
        }
    }

    @Override
    public boolean removeFollowing(long followerId, long followeeId, UserUnfollowed event) {
        boolean removed = true;
        try {
            removed = store.removeFollowing(followerId, followeeId, event);
            return removed;
        } finally {
            if (removed) {
                invalidate(followerId);
            }
        }
    }

    @Override
    public void removeFollowerRow(long followerId, long followeeId) {
        try {
            store.removeFollowerRow(followerId, followeeId);
        } finally {
            invalidate(followeeId);
        }
    }

    private void invalidate(long userId) {
        cache.get().invalidate(List.of(userId), "write");
    }

    // no count changes below

    @Override
    public List<Long> followeeIds(long userId, long afterId, int limit) {
        return store.followeeIds(userId, afterId, limit);
    }

    @Override
    public void finishSaga(long followerId, long followeeId) {
        store.finishSaga(followerId, followeeId);
    }

    @Override
    public List<long[]> stalledSagas(Duration olderThan) {
        return store.stalledSagas(olderThan);
    }

    @Override
    public IdPage followers(long userId, Optional<Cursor> after, int limit) {
        return store.followers(userId, after, limit);
    }

    @Override
    public IdPage following(long userId, Optional<Cursor> after, int limit) {
        return store.following(userId, after, limit);
    }

    @Override
    public List<Long> followerIds(long userId, long afterId, int limit) {
        return store.followerIds(userId, afterId, limit);
    }
}
