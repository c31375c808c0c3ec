package io.chirp.platform.database.move;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.chirp.platform.sharding.ChirpId;

/**
 * How the rows of every table of the sharded services map to a logical shard, for a shard
 * move ({@link ShardMover}). A table the mover finds in a database and that is not listed here
 * makes it refuse the move ({@link #plan}): a new table must say where its rows live before a
 * shard can move, never be skipped silently.
 *
 * <p>Sources: user-service's and tweet-service's {@code db/migration}. Order matters: parents
 * before the tables that reference them ({@code credentials → users},
 * {@code deletion_steps → deletions}), so copies go in this order and deletes in the reverse.
 */
public final class ShardTables {

    /** What a move does with one table's rows. */
    public enum Kind {
        /** Rows of one logical shard, chosen by an SQL predicate on the row. */
        BY_ID,
        /** Rows of one logical shard, chosen in Java: {@code LogicalShards.forKey(column)} (claims). */
        BY_KEY,
        /**
         * The idempotent inbox: a row names a consumer and an event, not a shard. Every row is
         * copied to the target (a union: an inbox row only ever stops a redelivered event from
         * being applied twice where its effects are), none is deleted from the source.
         */
        INBOX,
        /**
         * Not moved: the outbox is the queue of its physical database, drained by that
         * database's relay; the move waits under the fence for it to publish what was written
         * before, so a key's events stay in order.
         */
        OUTBOX,
        /** Bookkeeping of the database itself (migrations, the persisted shard map). */
        METADATA
    }

    /**
     * One table.
     *
     * @param name      the table (for {@code tweets}, the partitioned parent: rows are read and
     *                  written through it)
     * @param kind      what the move does with it
     * @param predicate for {@link Kind#BY_ID}, an SQL condition on alias {@code t} with one
     *                  {@code ?} bound to the logical shard; null otherwise
     * @param keyColumn for {@link Kind#BY_KEY}, the column hashed by {@code LogicalShards.forKey}
     */
    public record Table(String name, Kind kind, String predicate, String keyColumn) {

        boolean moved() {
            return kind == Kind.BY_ID || kind == Kind.BY_KEY;
        }
    }

    private static final String SHIFT = Integer.toString(ChirpId.SEQUENCE_BITS);
    private static final String MASK = Integer.toString(ChirpId.MAX_LOGICAL_SHARD);

    /** Every known table, in copy order. */
    static final Map<String, Table> KNOWN;

    static {
        Map<String, Table> known = new LinkedHashMap<>();
        // user-service
        byId(known, "users", "id");
        byId(known, "credentials", "user_id");
        known.put("claims", new Table("claims", Kind.BY_KEY, null, "value"));
        byId(known, "registrations", "user_id");
        byId(known, "following", "follower_id");
        byId(known, "followers", "followee_id");
        byId(known, "follow_sagas", "follower_id");
        byId(known, "deletions", "user_id");
        known.put("deletion_steps", new Table("deletion_steps", Kind.BY_ID,
                "t.deletion_id IN (SELECT d.id FROM deletions d WHERE " + shardOf("d.user_id") + " = ?)", null));
        // tweet-service: a tweet's id carries its author's logical shard
        byId(known, "tweets", "id");
        byId(known, "retweets", "user_id");
        byId(known, "authors", "user_id");
        // both
        known.put("inbox", new Table("inbox", Kind.INBOX, null, null));
        known.put("outbox", new Table("outbox", Kind.OUTBOX, null, null));
        known.put("shard_map_overrides", new Table("shard_map_overrides", Kind.METADATA, null, null));
        known.put("flyway_schema_history", new Table("flyway_schema_history", Kind.METADATA, null, null));
        KNOWN = Map.copyOf(known);
        ORDER = List.copyOf(known.keySet());
    }

    private static final List<String> ORDER;

    private ShardTables() {
    }

    /** The SQL expression of the logical shard of a Chirp id column ({@link ChirpId#logicalShard}). */
    static String shardOf(String column) {
        return "((" + column + " >> " + SHIFT + ") & " + MASK + ")";
    }

    private static void byId(Map<String, Table> known, String table, String column) {
        known.put(table, new Table(table, Kind.BY_ID, shardOf("t." + column) + " = ?", null));
    }

    /**
     * The tables of a database (its non-partition tables) in copy order.
     *
     * @throws IllegalStateException naming every table whose rows this class cannot map to a
     *                               logical shard
     */
    public static List<Table> plan(Collection<String> tablesInDatabase) {
        Set<String> unknown = new TreeSet<>();
        for (String table : tablesInDatabase) {
            if (!KNOWN.containsKey(table)) {
                unknown.add(table);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("refusing to move: no mapping to a logical shard for table(s) " + unknown
                    + "; add them to " + ShardTables.class.getName());
        }
        List<Table> plan = new ArrayList<>();
        for (String name : ORDER) {
            if (tablesInDatabase.contains(name)) {
                plan.add(KNOWN.get(name));
            }
        }
        return plan;
    }
}
