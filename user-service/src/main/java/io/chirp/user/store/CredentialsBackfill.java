package io.chirp.user.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backfill step of the credentials expand-contract (docs/adr/0005-expand-contract-credentials.md):
 * copies {@code users.password_hash} into {@code credentials} on one physical shard, in keyset
 * batches of user ids, each batch one statement in its own short transaction, so no lock is held
 * for longer than a batch and the copy can stop anywhere.
 * <ul>
 *   <li>Resumable: a run starts after the lowest user id that has no {@code credentials} row
 *       (everything below it is copied), so a run stopped after any batch and started again
 *       copies the rest and nothing twice ({@code ON CONFLICT DO NOTHING} besides).</li>
 *   <li>Safe beside the code that dual-writes: a row written by registration meanwhile is kept
 *       (the conflict leaves it alone), and the batch takes {@code FOR KEY SHARE} on the users it
 *       copies, so a user deleted while its batch runs is skipped rather than copied back as an
 *       orphan (and the foreign key never fails).</li>
 *   <li>Locks: ROW SHARE on {@code users} and ROW EXCLUSIVE on {@code credentials} (neither
 *       conflicts with the service's reads and writes), row locks on one batch of users. Each
 *       batch's transaction sets {@code lock_timeout} 5 s and {@code statement_timeout} 60 s with
 *       {@code SET LOCAL}: no session state, so it also runs through PgBouncer's transaction
 *       pooling (docs/adr/0006-pooling.md).</li>
 * </ul>
 * Run by the Flyway migration {@code db.migration.V6__Backfill_credentials} on every shard's
 * database. Not thread-safe; one run per connection.
 */
public final class CredentialsBackfill {

    /** User ids per batch: about 1 000 rows a transaction (ADR 0005 has the measured rate). */
    public static final int BATCH_SIZE = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(CredentialsBackfill.class);

    private static final String BATCH = "WITH batch AS ("
            + "  SELECT id, password_hash FROM users WHERE id > ? ORDER BY id LIMIT ? FOR KEY SHARE),"
            + " copied AS ("
            + "  INSERT INTO credentials (user_id, password_hash, updated_at)"
            + "  SELECT id, password_hash, now() FROM batch"
            + "  ON CONFLICT (user_id) DO NOTHING RETURNING 1)"
            + " SELECT (SELECT max(id) FROM batch), (SELECT count(*) FROM batch), (SELECT count(*) FROM copied)";

    private static final String MISSING = "FROM users u WHERE NOT EXISTS"
            + " (SELECT 1 FROM credentials c WHERE c.user_id = u.id)";

    /**
     * What one run did.
     *
     * @param batches batches committed
     * @param scanned users looked at
     * @param copied  {@code credentials} rows inserted (scanned minus those already there)
     * @param lastId  the highest user id looked at, 0 when none
     * @param nanos   wall time of the batches
     */
    public record Progress(int batches, long scanned, long copied, long lastId, long nanos) {

        /** Users looked at per second of wall time (0 when nothing was scanned). */
        public double rowsPerSecond() {
            return nanos == 0 ? 0 : scanned * 1e9 / nanos;
        }
    }

    private final int batchSize;

    /** @param batchSize user ids per batch (and per transaction), at least 1 */
    public CredentialsBackfill(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1: " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /**
     * Copies batch by batch until every user has a {@code credentials} row or {@code maxBatches}
     * batches are done, committing each batch. The connection's auto-commit mode is given back
     * as it was.
     *
     * @throws SQLException as the driver reports it; the batches committed before stay
     */
    public Progress run(Connection connection, int maxBatches) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            return copy(connection, maxBatches);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private Progress copy(Connection connection, int maxBatches) throws SQLException {
        long start = System.nanoTime();
        Long firstMissing = firstMissing(connection);
        connection.commit();
        if (firstMissing == null) {
            return new Progress(0, 0, 0, 0, 0);
        }
        long after = firstMissing - 1;
        int batches = 0;
        long scanned = 0;
        long copied = 0;
        try (Statement local = connection.createStatement(); PreparedStatement s = connection.prepareStatement(BATCH)) {
            while (batches < maxBatches) {
                local.execute("SET LOCAL lock_timeout = '5s'");
                local.execute("SET LOCAL statement_timeout = '60s'");
                s.setLong(1, after);
                s.setInt(2, batchSize);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    long last = rs.getLong(1);
                    if (rs.wasNull()) {
                        connection.commit();
                        break;
                    }
                    after = last;
                    scanned += rs.getLong(2);
                    copied += rs.getLong(3);
                }
                connection.commit();
                batches++;
                if (batches % 100 == 0) {
                    LOG.info("credentials backfill: {} batches, {} users looked at, {} copied, up to id {}", batches,
                            scanned, copied, after);
                }
            }
        }
        Progress progress = new Progress(batches, scanned, copied, after, System.nanoTime() - start);
        LOG.info("credentials backfill: {} batch(es) of up to {}, {} users looked at, {} copied, up to id {},"
                + " {} rows/s", batches, batchSize, scanned, copied, after, Math.round(progress.rowsPerSecond()));
        return progress;
    }

    /** The lowest user id without a {@code credentials} row, or null when there is none. */
    private static Long firstMissing(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT min(u.id) " + MISSING)) {
            rs.next();
            long id = rs.getLong(1);
            return rs.wasNull() ? null : id;
        }
    }

    /**
     * The verification that gates the read switch: how many users have no {@code credentials}
     * row (an anti-join over both tables). 0 means the backfill is complete, given that every
     * instance writes both (DUAL_WRITE) since before the backfill started.
     */
    public static long missing(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) " + MISSING)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
