package io.chirp.user.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.chirp.platform.events.UserFollowed;
import io.chirp.platform.events.UserUnfollowed;
import io.chirp.user.domain.FollowStore;
import io.chirp.platform.sharding.ShardJdbc;
import io.chirp.platform.sharding.ShardedDataSources;
import jakarta.inject.Singleton;

/**
 * {@link FollowStore} on the sharded PostgreSQL databases: {@code following} rows on the
 * follower's shard, {@code followers} rows on the followee's shard, counters moved by
 * single-statement increments in the edge's own transaction.
 */
@Singleton
class JdbcFollowStore implements FollowStore {

    private final ShardedDataSources shards;
    private final OutboxEvents outbox;

    JdbcFollowStore(ShardedDataSources shards, OutboxEvents outbox) {
        this.shards = shards;
        this.outbox = outbox;
    }

    @Override
    public void writeFollowing(long followerId, long followeeId) {
        ShardJdbc.inTransaction(shards.forId(followerId), c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO follow_sagas (follower_id, followee_id)"
                    + " VALUES (?, ?) ON CONFLICT (follower_id, followee_id) DO UPDATE SET updated_at = now()")) {
                s.setLong(1, followerId);
                s.setLong(2, followeeId);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO following (follower_id, followee_id, created_at)"
                    + " VALUES (?, ?, now()) ON CONFLICT DO NOTHING")) {
                s.setLong(1, followerId);
                s.setLong(2, followeeId);
                if (s.executeUpdate() == 1) {
                    bump(c, "following_count", followerId, 1);
                }
            }
            return null;
        });
    }

    @Override
    public SecondStep writeFollower(long followerId, long followeeId, UserFollowed event) {
        return ShardJdbc.inTransaction(shards.forId(followeeId), c -> {
            // lock the followee's row exclusively: a concurrent deletion either precedes us (refused) or
            // follows us, and concurrent follows of one user queue here instead of deadlocking on
            // the counter update (two FOR SHARE locks cannot both upgrade)
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT 1 FROM users WHERE id = ? AND status = 'ACTIVE' FOR UPDATE")) {
                s.setLong(1, followeeId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return SecondStep.REFUSED;
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO followers (followee_id, follower_id, created_at)"
                    + " VALUES (?, ?, now()) ON CONFLICT DO NOTHING")) {
                s.setLong(1, followeeId);
                s.setLong(2, followerId);
                if (s.executeUpdate() == 0) {
                    return SecondStep.ALREADY;
                }
            }
            bump(c, "followers_count", followeeId, 1);
            outbox.append(c, event.eventId(), followerId, event);
            return SecondStep.WRITTEN;
        });
    }

    @Override
    public void removeFollowing(long followerId, long followeeId) {
        ShardJdbc.inTransaction(shards.forId(followerId), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM following WHERE follower_id = ? AND followee_id = ?")) {
                s.setLong(1, followerId);
                s.setLong(2, followeeId);
                if (s.executeUpdate() == 1) {
                    bump(c, "following_count", followerId, -1);
                }
            }
            return null;
        });
    }

    @Override
    public boolean removeFollower(long followerId, long followeeId, UserUnfollowed event) {
        return ShardJdbc.inTransaction(shards.forId(followeeId), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM followers WHERE followee_id = ? AND follower_id = ?")) {
                s.setLong(1, followeeId);
                s.setLong(2, followerId);
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            bump(c, "followers_count", followeeId, -1);
            outbox.append(c, event.eventId(), followerId, event);
            return true;
        });
    }

    @Override
    public boolean removeFollowing(long followerId, long followeeId, UserUnfollowed event) {
        return ShardJdbc.inTransaction(shards.forId(followerId), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM following WHERE follower_id = ? AND followee_id = ?")) {
                s.setLong(1, followerId);
                s.setLong(2, followeeId);
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            bump(c, "following_count", followerId, -1);
            outbox.append(c, event.eventId(), followerId, event);
            return true;
        });
    }

    @Override
    public void removeFollowerRow(long followerId, long followeeId) {
        ShardJdbc.inTransaction(shards.forId(followeeId), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM followers WHERE followee_id = ? AND follower_id = ?")) {
                s.setLong(1, followeeId);
                s.setLong(2, followerId);
                if (s.executeUpdate() == 1) {
                    bump(c, "followers_count", followeeId, -1);
                }
            }
            return null;
        });
    }

    @Override
    public List<Long> followeeIds(long userId, long afterId, int limit) {
        return ShardJdbc.read(shards.forId(userId), c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT followee_id FROM following WHERE follower_id = ?"
                    + " AND followee_id > ? ORDER BY followee_id LIMIT ?")) {
                s.setLong(1, userId);
                s.setLong(2, afterId);
                s.setInt(3, limit);
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                return ids;
            }
        });
    }

    @Override
    public void finishSaga(long followerId, long followeeId) {
        ShardJdbc.inTransaction(shards.forId(followerId), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM follow_sagas WHERE follower_id = ? AND followee_id = ?")) {
                s.setLong(1, followerId);
                s.setLong(2, followeeId);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public List<long[]> stalledSagas(Duration olderThan) {
        List<long[]> stalled = new ArrayList<>();
        for (DataSource db : shards.all().values()) {
            ShardJdbc.read(db, c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT follower_id, followee_id FROM follow_sagas WHERE updated_at < ?")) {
                    s.setTimestamp(1, Timestamp.from(Instant.now().minus(olderThan)));
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            stalled.add(new long[] {rs.getLong(1), rs.getLong(2)});
                        }
                    }
                }
                return null;
            });
        }
        return stalled;
    }

    @Override
    public IdPage followers(long userId, Optional<Cursor> after, int limit) {
        return page("followers", "followee_id", "follower_id", userId, after, limit);
    }

    @Override
    public IdPage following(long userId, Optional<Cursor> after, int limit) {
        return page("following", "follower_id", "followee_id", userId, after, limit);
    }

    /**
     * Keyset page, newest edge first, on the shard that owns {@code userId}'s side: a listing that
     * tolerates staleness, so from that shard's replica while it is in rotation and the caller
     * has not just written (see {@link ShardedDataSources#forRead}).
     */
    private IdPage page(String table, String ownerColumn, String otherColumn, long userId, Optional<Cursor> after,
                        int limit) {
        return ShardJdbc.read(shards.forRead(userId), c -> {
            String sql = "SELECT " + otherColumn + ", created_at FROM " + table + " WHERE " + ownerColumn + " = ?"
                    + (after.isPresent() ? " AND (created_at, " + otherColumn + ") < (?, ?)" : "")
                    + " ORDER BY created_at DESC, " + otherColumn + " DESC LIMIT ?";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                s.setLong(i++, userId);
                if (after.isPresent()) {
                    s.setTimestamp(i++, Timestamp.from(Instant.EPOCH.plus(after.get().createdAtMicros(), ChronoUnit.MICROS)));
                    s.setLong(i++, after.get().id());
                }
                s.setInt(i, limit + 1);
                List<Long> ids = new ArrayList<>();
                Cursor last = null;
                boolean more = false;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        if (ids.size() == limit) {
                            more = true;
                            break;
                        }
                        long id = rs.getLong(1);
                        ids.add(id);
                        last = new Cursor(ChronoUnit.MICROS.between(Instant.EPOCH, rs.getTimestamp(2).toInstant()), id);
                    }
                }
                return new IdPage(ids, more ? Optional.of(last) : Optional.empty());
            }
        });
    }

    @Override
    public List<Long> followerIds(long userId, long afterId, int limit) {
        return ShardJdbc.read(shards.forId(userId), c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT follower_id FROM followers WHERE followee_id = ?"
                    + " AND follower_id > ? ORDER BY follower_id LIMIT ?")) {
                s.setLong(1, userId);
                s.setLong(2, afterId);
                s.setInt(3, limit);
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                return ids;
            }
        });
    }

    private static void bump(java.sql.Connection c, String column, long userId, int delta) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE users SET " + column + " = " + column + " + ? WHERE id = ?")) {
            s.setInt(1, delta);
            s.setLong(2, userId);
            s.executeUpdate();
        }
    }
}
