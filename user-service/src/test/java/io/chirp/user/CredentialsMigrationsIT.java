package io.chirp.user;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.platform.testing.TestNames;
import io.chirp.user.store.CredentialsBackfill;

/**
 * The migrations of the credentials expand-contract (docs/adr/0005-expand-contract-credentials.md)
 * one by one on a real PostgreSQL shard, each test on a schema of its own: the backfill's batches
 * (resumable, never a duplicate, never an orphan), and the contracting DDL failing on its
 * {@code lock_timeout} instead of queueing behind a long transaction.
 */
@RealEngines(Engine.POSTGRES)
class CredentialsMigrationsIT {

    /** {@code count} users with ids {@code first, first + 7, …} and an Argon2id-sized hash each. */
    static final String SEED = "INSERT INTO users (id, username, email, password_hash, created_at, updated_at)"
            + " SELECT %1$d + 7 * i, 'u' || i, 'u' || i || '@example.com',"
            + " '$argon2id$v=19$m=19456,t=2,p=1$' || md5(i::text) || '$' || md5((-i)::text) || md5((i * 3)::text),"
            + " now(), now() FROM generate_series(0, %2$d - 1) AS i";

    @Test
    void theBackfillCopiesBatchByBatchAndARestartResumesWhereItStopped() throws Exception {
        String schema = schemaAt("5");
        try (Connection c = connect(schema); Statement s = c.createStatement()) {
            s.execute(String.format(SEED, 1_000, 2_500));
            // two users registered by the dual-writing code already have their row: it is kept as it is
            s.execute("INSERT INTO credentials (user_id, password_hash)"
                    + " VALUES (1000 + 7 * 5, 'written by registration'),"
                    + " (1000 + 7 * 2400, 'written by registration')");
            CredentialsBackfill backfill = new CredentialsBackfill(1_000);

            CredentialsBackfill.Progress first = backfill.run(c, 1);
            assertEquals(new Counts(1, 1_000, 999), Counts.of(first));
            assertEquals(1_000 + 7 * 999, first.lastId(), "keyset: the batch ends at the 1000th id");
            assertEquals(1_000 + 1, count(c, "SELECT count(*) FROM credentials"));

            // stopped after one batch and started again: resumes after the first user still missing
            CredentialsBackfill.Progress second = backfill.run(c, 1);
            assertEquals(new Counts(1, 1_000, 1_000), Counts.of(second));
            assertEquals(1_000 + 7 * 1_999, second.lastId());

            CredentialsBackfill.Progress rest = backfill.run(c, Integer.MAX_VALUE);
            assertEquals(new Counts(1, 500, 499), Counts.of(rest));
            assertEquals(0, CredentialsBackfill.missing(c));
            assertEquals(2_500, count(c, "SELECT count(*) FROM credentials"));
            assertEquals(2, count(c,
                    "SELECT count(*) FROM credentials WHERE password_hash = 'written by registration'"));
            assertEquals(2_498, count(c, "SELECT count(*) FROM credentials c JOIN users u ON u.id = c.user_id"
                    + " WHERE c.password_hash = u.password_hash"));

            // nothing left: a run finds nothing to do
            assertEquals(new Counts(0, 0, 0), Counts.of(backfill.run(c, Integer.MAX_VALUE)));

            // a row lost in the middle (say, deleted by hand) is where the next run starts
            s.execute("DELETE FROM credentials WHERE user_id = " + (1_000 + 7 * 1_500));
            assertEquals(1, CredentialsBackfill.missing(c));
            CredentialsBackfill.Progress patch = backfill.run(c, Integer.MAX_VALUE);
            assertEquals(new Counts(1, 1_000, 1), Counts.of(patch));
            assertEquals(0, CredentialsBackfill.missing(c));
            assertTrue(c.getAutoCommit(), "the connection is given back as it was");
        }
    }

    @Test
    void aUserDeletedWhileItsBatchIsCopiedIsNotCopiedBack() throws Exception {
        String schema = schemaAt("5");
        long victim = 1_000 + 7 * 10;
        try (Connection c = connect(schema); Connection deleting = connect(schema);
             Statement s = c.createStatement(); Statement d = deleting.createStatement()) {
            s.execute(String.format(SEED, 1_000, 50));
            // the deletion of the saga's last step, not yet committed when the batch reaches the row
            deleting.setAutoCommit(false);
            d.execute("DELETE FROM users WHERE id = " + victim);
            CompletableFuture<CredentialsBackfill.Progress> backfill = CompletableFuture.supplyAsync(() -> {
                try (Connection b = connect(schema)) {
                    return new CredentialsBackfill(1_000).run(b, Integer.MAX_VALUE);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(4)).until(() -> count(c, "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE wait_event_type = 'Lock' AND query LIKE 'WITH batch AS%'") == 1);
            deleting.commit();

            CredentialsBackfill.Progress progress = backfill.get();
            assertEquals(new Counts(1, 49, 49), Counts.of(progress), "the deleted user is skipped, not failed on");
            assertEquals(0, count(c, "SELECT count(*) FROM credentials WHERE user_id = " + victim));
            assertEquals(49, count(c, "SELECT count(*) FROM credentials"));
            assertEquals(0, CredentialsBackfill.missing(c));
        }
    }

    @Test
    void droppingTheColumnFailsOnItsLockTimeoutInsteadOfQueueingBehindALongTransaction() throws Exception {
        String schema = schemaAt("7");
        try (Connection c = connect(schema); Connection longRunning = connect(schema);
             Statement s = c.createStatement(); Statement l = longRunning.createStatement()) {
            s.execute(String.format(SEED, 1_000, 100));
            // a report reading users in a long transaction holds ACCESS SHARE until it ends
            longRunning.setAutoCommit(false);
            l.executeQuery("SELECT count(*) FROM users").close();

            long start = System.nanoTime();
            FlywayException refused = assertThrows(FlywayException.class, () -> flyway(schema, "8").migrate());
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(causes(refused, "55P03"), "lock_not_available: " + refused);
            // it gave up: reads and writes of users go on, the column is still there
            assertEquals(100, count(c, "SELECT count(*) FROM users WHERE password_hash IS NOT NULL"));
            assertEquals(1, count(c, "SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + schema
                    + "' AND table_name = 'users' AND column_name = 'password_hash'"));

            // retried once the long transaction is over, it goes through
            longRunning.commit();
            flyway(schema, "8").migrate();
            assertEquals(0, count(c, "SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + schema
                    + "' AND table_name = 'users' AND column_name = 'password_hash'"));
            System.out.printf("CredentialsMigrationsIT: V8 gave up after %d ms behind a long transaction"
                    + " (lock_timeout 5s), then applied once it ended%n", waitedMillis);
        }
    }

    @Test
    void eachSchemaMigrationTakesTheLockTheAdrSaysOnUsers() throws Exception {
        String schema = schemaAt("4");
        // the foreign key's: reads of users go on, writes wait for the (short) transaction
        assertEquals("ShareRowExclusiveLock", strongestLockOnUsersTakenBy(schema, "V5__credentials.sql"));
        flyway(schema, "6").migrate();
        assertEquals("AccessExclusiveLock",
                strongestLockOnUsersTakenBy(schema, "V7__users_password_hash_nullable.sql"));
        flyway(schema, "7").migrate();
        assertEquals("AccessExclusiveLock", strongestLockOnUsersTakenBy(schema, "V8__users_drop_password_hash.sql"));
    }

    /** PostgreSQL's table lock modes, weakest first (https://www.postgresql.org/docs/17/explicit-locking.html). */
    static final List<String> TABLE_LOCKS = List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock",
            "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

    static String strongestLockOnUsersTakenBy(String schema, String migration) throws Exception {
        List<String> modes = locksOnUsersTakenBy(schema, migration);
        System.out.println("CredentialsMigrationsIT: " + migration + " holds " + modes + " on users");
        return modes.stream().max(java.util.Comparator.comparingInt(TABLE_LOCKS::indexOf)).orElse("none");
    }

    /** Runs a migration's SQL in a transaction, reads the locks it holds on {@code users}, rolls back. */
    static List<String> locksOnUsersTakenBy(String schema, String migration) throws Exception {
        String sql;
        try (InputStream in = CredentialsMigrationsIT.class.getResourceAsStream("/db/migration/" + migration)) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = connect(schema); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute(sql);
            List<String> modes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT mode FROM pg_locks WHERE pid = pg_backend_pid()"
                    + " AND relation = 'users'::regclass ORDER BY mode")) {
                while (rs.next()) {
                    modes.add(rs.getString(1));
                }
            }
            c.rollback();
            return modes;
        }
    }

    @Test
    void theBackfillRateAndTheContractingMigrationsOnTwoHundredThousandUsers() throws Exception {
        int users = 200_000;
        String schema = schemaAt("5");
        try (Connection c = connect(schema); Statement s = c.createStatement()) {
            s.execute(String.format(SEED, 1_000, users));
            s.execute("VACUUM ANALYZE users");
            CredentialsBackfill.Progress progress = new CredentialsBackfill(CredentialsBackfill.BATCH_SIZE)
                    .run(c, Integer.MAX_VALUE);
            assertEquals(new Counts(users / CredentialsBackfill.BATCH_SIZE, users, users), Counts.of(progress));
            long verifyStart = System.nanoTime();
            assertEquals(0, CredentialsBackfill.missing(c));
            long verifyMillis = (System.nanoTime() - verifyStart) / 1_000_000;

            assertEquals(1, flyway(schema, "6").migrate().migrationsExecuted, "V6 finds nothing left to copy");
            long v7 = timeMigration(schema, "7");
            long v8 = timeMigration(schema, "8");
            assertEquals(users, count(c, "SELECT count(*) FROM credentials"));
            System.out.printf("CredentialsMigrationsIT: backfill of %d users in %d batches of %d: %.1f s, %.0f rows/s"
                    + " (%.1f ms a batch); anti-join check %d ms; V7 (DROP NOT NULL) %d ms; V8 (DROP COLUMN) %d ms%n",
                    users, progress.batches(), CredentialsBackfill.BATCH_SIZE, progress.nanos() / 1e9,
                    progress.rowsPerSecond(), progress.nanos() / 1e6 / progress.batches(), verifyMillis, v7, v8);
        }
    }

    /** The figures of a run that the assertions compare. */
    record Counts(int batches, long scanned, long copied) {
        static Counts of(CredentialsBackfill.Progress progress) {
            return new Counts(progress.batches(), progress.scanned(), progress.copied());
        }
    }

    long timeMigration(String schema, String target) {
        long start = System.nanoTime();
        assertEquals(1, flyway(schema, target).migrate().migrationsExecuted);
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** A schema of its own on shard 0, migrated to {@code target}. */
    static String schemaAt(String target) throws SQLException {
        String schema = TestNames.unique("credentials");
        try (Connection c = DriverManager.getConnection(SharedEngines.get().jdbcUrl(0), user(), password());
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        flyway(schema, target).migrate();
        return schema;
    }

    static Flyway flyway(String schema, String target) {
        return Flyway.configure().dataSource(url(schema), user(), password()).target(target).load();
    }

    static String url(String schema) {
        return SharedEngines.get().jdbcUrl(0) + "?currentSchema=" + schema;
    }

    static Connection connect(String schema) throws SQLException {
        return DriverManager.getConnection(url(schema), user(), password());
    }

    static String user() {
        return SharedEngines.get().property("CHIRP_DB_USER");
    }

    static String password() {
        return SharedEngines.get().property("CHIRP_DB_PASSWORD");
    }

    static boolean causes(Throwable e, String sqlState) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sqlState.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
