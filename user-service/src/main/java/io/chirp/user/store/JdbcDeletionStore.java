package io.chirp.user.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import io.chirp.platform.sharding.LogicalShards;
import io.chirp.platform.sharding.ShardJdbc;
import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.user.domain.ClaimKind;
import io.chirp.user.domain.DeletionStore;
import io.chirp.platform.events.UserDeleted;
import jakarta.inject.Singleton;

/** {@link DeletionStore} on the sharded PostgreSQL databases: saga rows on the deleted user's shard. */
@Singleton
class JdbcDeletionStore implements DeletionStore {

    private final ShardedDataSources shards;
    private final OutboxEvents outbox;

    JdbcDeletionStore(ShardedDataSources shards, OutboxEvents outbox) {
        this.shards = shards;
        this.outbox = outbox;
    }

    @Override
    public Ack recordStep(UUID deletionId, long userId, String participant) {
        return ShardJdbc.inTransaction(shards.forId(userId), c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM deletions WHERE id = ? AND user_id = ?")) {
                s.setObject(1, deletionId);
                s.setLong(2, userId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Ack.UNKNOWN;
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO deletion_steps (deletion_id, participant)"
                    + " VALUES (?, ?) ON CONFLICT (deletion_id, participant) DO NOTHING")) {
                s.setObject(1, deletionId);
                s.setString(2, participant);
                if (s.executeUpdate() == 0) {
                    return Ack.DUPLICATE;
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE deletions SET updated_at = now() WHERE id = ?")) {
                s.setObject(1, deletionId);
                s.executeUpdate();
            }
            return Ack.RECORDED;
        });
    }

    private static final String READY = "SELECT d.id, d.user_id FROM deletions d WHERE d.state = 'REQUESTED'"
            + " AND (SELECT count(DISTINCT st.participant) FROM deletion_steps st"
            + "      WHERE st.deletion_id = d.id AND st.participant = ANY(?)) = ?";

    @Override
    public boolean readyToFinish(UUID deletionId, long userId, Collection<String> participants) {
        return ShardJdbc.read(shards.forId(userId), c -> {
            try (PreparedStatement s = c.prepareStatement(READY + " AND d.id = ? AND d.user_id = ?")) {
                s.setArray(1, c.createArrayOf("text", participants.toArray()));
                s.setInt(2, participants.size());
                s.setObject(3, deletionId);
                s.setLong(4, userId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public List<Pending> allReadyToFinish(Collection<String> participants) {
        List<Pending> ready = new ArrayList<>();
        for (DataSource db : shards.all().values()) {
            ShardJdbc.read(db, c -> {
                try (PreparedStatement s = c.prepareStatement(READY + " ORDER BY d.updated_at")) {
                    s.setArray(1, c.createArrayOf("text", participants.toArray()));
                    s.setInt(2, participants.size());
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            ready.add(new Pending(rs.getObject(1, UUID.class), rs.getLong(2)));
                        }
                    }
                }
                return null;
            });
        }
        return ready;
    }

    @Override
    public List<Pending> waitingLongerThan(java.time.Duration olderThan) {
        List<Pending> waiting = new ArrayList<>();
        for (DataSource db : shards.all().values()) {
            ShardJdbc.read(db, c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT id, user_id FROM deletions"
                        + " WHERE state = 'REQUESTED' AND updated_at < ? ORDER BY updated_at")) {
                    s.setTimestamp(1, java.sql.Timestamp.from(java.time.Instant.now().minus(olderThan)));
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            waiting.add(new Pending(rs.getObject(1, UUID.class), rs.getLong(2)));
                        }
                    }
                }
                return null;
            });
        }
        return waiting;
    }

    @Override
    public void requestAgain(Pending deletion, io.chirp.platform.events.UserDeletionRequested event) {
        ShardJdbc.inTransaction(shards.forId(deletion.userId()), c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE deletions SET updated_at = now() WHERE id = ?"
                    + " AND state = 'REQUESTED'")) {
                s.setObject(1, deletion.deletionId());
                if (s.executeUpdate() == 1) {
                    outbox.append(c, event.eventId(), deletion.userId(), event);
                }
            }
            return null;
        });
    }

    @Override
    public Optional<Claims> claimsOf(long userId) {
        return ShardJdbc.read(shards.forId(userId), c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT username, email FROM users WHERE id = ?")) {
                s.setLong(1, userId);
                try (ResultSet rs = s.executeQuery()) {
                    // the same keys RegistrationService claimed
                    return rs.next() ? Optional.of(new Claims(LogicalShards.normalizeKey(rs.getString(1)),
                            LogicalShards.normalizeKey(rs.getString(2).toLowerCase(Locale.ROOT)))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void releaseClaim(ClaimKind kind, String key, long userId) {
        ShardJdbc.inTransaction(shards.forKey(key), c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM claims WHERE kind = ? AND value = ? AND user_id = ?")) {
                s.setString(1, kind.name());
                s.setString(2, key);
                s.setLong(3, userId);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public boolean finish(UUID deletionId, long userId, UserDeleted event) {
        return ShardJdbc.inTransaction(shards.forId(userId), c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE deletions SET state = 'DONE', updated_at = now()"
                    + " WHERE id = ? AND user_id = ? AND state = 'REQUESTED'")) {
                s.setObject(1, deletionId);
                s.setLong(2, userId);
                if (s.executeUpdate() != 1) {
                    return false;
                }
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM users WHERE id = ? AND status = 'DELETING'")) {
                s.setLong(1, userId);
                s.executeUpdate();
            }
            outbox.append(c, event.eventId(), userId, event);
            return true;
        });
    }
}
