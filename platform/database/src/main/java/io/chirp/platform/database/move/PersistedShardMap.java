package io.chirp.platform.database.move;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.sharding.ShardMap;

/**
 * The logical shards moved by the shard-move tool, kept in the table {@code shard_map_overrides}
 * ({@code V20__shard_map_overrides.sql} of each sharded service) on every physical database of
 * the service, so that a restarted instance, or one the tool could not reach, routes a moved
 * shard to its new database.
 *
 * <p>Shapes: an override is {@code logical (0..8191) → physical name}, with the time of the move.
 * When the databases disagree (the tool wrote some of them before it failed), the newest
 * {@code moved_at} wins. A database that cannot be read (down, or not migrated yet) is skipped
 * with a warning: the others, and the next reload, tell the rest.
 */
public final class PersistedShardMap {

    private static final Logger LOG = LoggerFactory.getLogger(PersistedShardMap.class);

    private static final String SELECT = "SELECT logical, physical, moved_at FROM shard_map_overrides";
    private static final String UPSERT = "INSERT INTO shard_map_overrides (logical, physical, moved_at)"
            + " VALUES (?, ?, ?) ON CONFLICT (logical) DO UPDATE SET physical = EXCLUDED.physical,"
            + " moved_at = EXCLUDED.moved_at";

    private PersistedShardMap() {
    }

    /** One persisted override. */
    public record MovedShard(int logical, String physical, Instant movedAt) {
    }

    /**
     * What the databases hold.
     *
     * @param byLogical  logical shard → its newest override, ascending
     * @param unreadable the databases that could not be read (their overrides are missing here)
     */
    public record Reading(Map<Integer, MovedShard> byLogical, Set<String> unreadable) {
    }

    /**
     * The overrides of every readable database, the newest per logical shard.
     *
     * @param databases physical name → its primary (not fenced: this is a sweep)
     */
    public static Reading read(Map<String, DataSource> databases) {
        Map<Integer, MovedShard> newest = new TreeMap<>();
        Set<String> unreadable = new TreeSet<>();
        databases.forEach((name, db) -> {
            try (Connection c = db.getConnection();
                 PreparedStatement s = c.prepareStatement(SELECT);
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    MovedShard o = new MovedShard(rs.getInt(1), rs.getString(2), rs.getTimestamp(3).toInstant());
                    newest.merge(o.logical(), o, (a, b) -> a.movedAt().isAfter(b.movedAt()) ? a : b);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warn("cannot read the shard map overrides of {}: {}", name, e.getMessage());
                unreadable.add(name);
            }
        });
        return new Reading(newest, unreadable);
    }

    /**
     * {@code base} with every override applied; an override naming a database this service does
     * not know is skipped with a warning (a configuration that dropped a database).
     */
    public static ShardMap apply(ShardMap base, Map<Integer, MovedShard> overrides) {
        ShardMap map = base;
        for (MovedShard o : overrides.values()) {
            if (!map.physicalNames().contains(o.physical())) {
                LOG.warn("persisted override {} -> {} names an unknown database; ignored", o.logical(), o.physical());
                continue;
            }
            map = map.withMove(o.logical(), o.physical());
        }
        return map;
    }

    /** {@code base} with the overrides persisted in {@code databases} applied (at start, and every reload). */
    public static ShardMap load(ShardMap base, Map<String, DataSource> databases) {
        return apply(base, read(databases).byLogical());
    }

    /**
     * Writes (or replaces) the override of {@code logical} on one database, autocommit.
     *
     * @throws SQLException when the write fails
     */
    public static void write(Connection connection, int logical, String physical, Instant movedAt) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(UPSERT)) {
            s.setInt(1, logical);
            s.setString(2, physical);
            s.setTimestamp(3, java.sql.Timestamp.from(movedAt));
            s.executeUpdate();
        }
    }
}
