package io.chirp.platform.sharding;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

/**
 * Measures each replica's lag and takes a replica out of rotation when it is unreachable or
 * more than {@code maxLag} behind; reads then fall back to the primary.
 *
 * <p>How the lag is measured: each {@link #refresh()} first reads the primary's current WAL
 * position ({@code pg_current_wal_lsn()}) and keeps it with the time it was read; then it reads
 * the replica's replay position ({@code pg_last_wal_replay_lsn()}). The lag is the age of the
 * newest kept primary position the replica has replayed past, i.e. how long ago the primary
 * had what the replica has now (0 when the replica has replayed the position just read). This
 * depends on neither clock agreement nor commit timestamps (a quiet primary makes
 * {@code pg_last_xact_replay_timestamp()} look old). Resolution: the refresh interval.
 * Positions are compared as byte offsets (PostgreSQL "pg_lsn", {@code X/Y} hexadecimal).
 *
 * <p>Read-your-writes rests on two facts kept here: the position each replica has replayed
 * ({@link Replica#replayedLsn()}), compared with a writer's {@link #insertPosition}, and the bound
 * that a replica in rotation is at most {@code maxLag + one refresh interval} behind, so a caller
 * pinned to the primary for longer than that after a write reads it back wherever their reads go.
 */
public final class ReplicaMonitor {

    /** How long kept primary positions are remembered, in refreshes beyond {@code maxLag}. */
    private static final int HISTORY = 600;

    private final Map<String, DataSource> primaries;
    private final Map<String, Replica> replicas;
    private final Duration maxLag;
    private final LongSupplier nanoTime;
    private final Map<String, Deque<long[]>> history = new HashMap<>();

    /**
     * @param primaries physical name → primary pool
     * @param replicas  physical name → its replica (names without a primary are ignored)
     * @param maxLag    a replica further behind than this is out of rotation
     * @param nanoTime  the clock ({@link System#nanoTime} outside tests)
     */
    public ReplicaMonitor(Map<String, DataSource> primaries, Map<String, Replica> replicas, Duration maxLag,
                          LongSupplier nanoTime) {
        this.primaries = Map.copyOf(primaries);
        this.replicas = Map.copyOf(replicas);
        this.maxLag = maxLag;
        this.nanoTime = nanoTime;
        replicas.keySet().forEach(name -> history.put(name, new ArrayDeque<>()));
    }

    /** The replicas, by the name of the primary each one replicates. */
    public Map<String, Replica> replicas() {
        return replicas;
    }

    /** Measures every replica once and updates its rotation. Never throws. */
    public synchronized void refresh() {
        replicas.forEach((name, replica) -> {
            DataSource primary = primaries.get(name);
            if (primary != null) {
                refresh(name, primary, replica);
            }
        });
    }

    private void refresh(String name, DataSource primary, Replica replica) {
        Deque<long[]> positions = history.get(name);
        try {
            long primaryLsn = lsn(primary, "SELECT pg_current_wal_lsn()");
            long now = nanoTime.getAsLong();
            positions.addLast(new long[] {now, primaryLsn});
            while (positions.size() > HISTORY) {
                positions.removeFirst();
            }
            long replayed = lsn(replica.dataSource(), "SELECT pg_last_wal_replay_lsn()");
            double lag = lagSeconds(positions, replayed, nanoTime.getAsLong());
            replica.update(lag <= maxLag.toNanos() / 1e9, lag, Math.max(0, primaryLsn - replayed), replayed);
        } catch (SQLException | RuntimeException e) {
            replica.update(false, Double.NaN, -1, -1);
        }
    }

    /** Age in seconds of the newest kept primary position at or below {@code replayed}. */
    static double lagSeconds(Deque<long[]> positions, long replayed, long now) {
        Iterator<long[]> newestFirst = positions.descendingIterator();
        long[] oldest = null;
        while (newestFirst.hasNext()) {
            long[] position = newestFirst.next();
            oldest = position;
            if (position[1] <= replayed) {
                return position == positions.peekLast() ? 0 : (now - position[0]) / 1e9;
            }
        }
        // behind every kept position: at least as old as the oldest one
        return oldest == null ? Double.NaN : (now - oldest[0]) / 1e9;
    }

    /**
     * The primary's WAL insert position now ({@code pg_current_wal_insert_lsn()}), as a byte
     * offset: at or past the end of every commit record written so far, so a replica whose
     * {@link Replica#replayedLsn()} reached it shows every transaction committed before this call
     * (read-your-writes by position). The insert position, not the write or flush one, because it
     * never falls short of a commit, even one made with {@code synchronous_commit = off}.
     *
     * @throws SQLException when the primary cannot be asked
     */
    public static long insertPosition(DataSource primary) throws SQLException {
        return lsn(primary, "SELECT pg_current_wal_insert_lsn()");
    }

    private static long lsn(DataSource dataSource, String query) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            try (ResultSet rs = s.executeQuery(query)) {
                rs.next();
                String value = rs.getString(1);
                if (value == null) {
                    throw new SQLException("not a replica in recovery: " + query + " returned null");
                }
                return parseLsn(value);
            }
        }
    }

    /**
     * A {@code pg_lsn} ({@code "16/B374D848"}: high and low 32 bits in hexadecimal) as a byte
     * offset in the WAL.
     *
     * @throws IllegalArgumentException when {@code lsn} is not of that form
     */
    public static long parseLsn(String lsn) {
        int slash = lsn.indexOf('/');
        if (slash < 1 || slash == lsn.length() - 1) {
            throw new IllegalArgumentException("not a pg_lsn: " + lsn);
        }
        return (Long.parseLong(lsn.substring(0, slash), 16) << 32) | Long.parseLong(lsn.substring(slash + 1), 16);
    }
}
