package io.chirp.user;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.chirp.platform.events.AccountDeletionStepDone;
import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;
import io.chirp.platform.testing.SharedEngines;
import io.chirp.platform.testing.TestNames;
import io.chirp.user.domain.AccountDeletionService;
import io.chirp.user.domain.AuthService;
import io.chirp.user.domain.Exceptions;
import io.chirp.user.domain.PasswordHasher;
import io.chirp.user.domain.ProfileService;
import io.chirp.user.domain.RegistrationService;
import io.chirp.user.domain.User;
import io.chirp.user.store.CredentialsPhase;
import io.micronaut.context.ApplicationContext;

/**
 * The expand-contract of the password hash (docs/adr/0005-expand-contract-credentials.md) as a
 * rolling deployment: each release is an application context of its own (its
 * {@code chirp.migrations.credentials.phase}, and its Flyway {@code target}, migrated when it
 * starts), started while the previous release still serves, then the previous one drained and
 * stopped. Registrations and logins run all along on a few threads against whichever releases
 * are live, each call on a release picked at random (a user registered by one version logs in
 * through another), on a schema of their own on both real PostgreSQL shards. Passwords are
 * Argon2id-hashed at a low cost ({@link CheapPasswordHasher}): thousands of logins are made.
 */
@RealEngines({Engine.POSTGRES, Engine.KAFKA, Engine.REDIS})
class CredentialsRolloutIT {

    static final String PASSWORD_PREFIX = "correct horse ";
    static final int THREADS = 3;
    /** Workload iterations (a registration and two logins) per second, all threads together. */
    static final int RATE = 12;
    /** Iterations each step waits for on the releases live in it. */
    static final int PER_STEP = 20;

    /** A user the test registered, with the release that registered it. */
    record Account(String username, String password, long id, String registeredBy) {
    }

    /** One deployed release: its application context, drained before it stops. */
    static final class Release {
        final String name;
        final ApplicationContext context;
        final ReadWriteLock inFlight = new ReentrantReadWriteLock();
        volatile boolean retired;

        Release(String name, ApplicationContext context) {
            this.name = name;
            this.context = context;
        }

        <T> T bean(Class<T> type) {
            return context.getBean(type);
        }
    }

    final List<Release> live = new CopyOnWriteArrayList<>();
    final Queue<Account> accounts = new ConcurrentLinkedQueue<>();
    final Queue<Account> deleted = new ConcurrentLinkedQueue<>();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    final AtomicLong requests = new AtomicLong();
    final AtomicInteger iterations = new AtomicInteger();
    final AtomicInteger serial = new AtomicInteger();
    /** Paces the workload, so that the logins checked at every step stay a few hundred to a few thousand. */
    final Semaphore budget = new Semaphore(0);
    volatile boolean running;
    String schema;
    String prefix;

    @Test
    void everyUserLogsInThroughEveryPhaseWhileTheSchemaChangesUnderLoad() throws Exception {
        schema = TestNames.unique("credentials_rollout");
        prefix = "r" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36) + "_";
        createSchema(schema);
        Map<String, Long> perStep = new LinkedHashMap<>();

        // the code of before on the schema of before, with users registered by it
        Release old = deploy("R0 EXPAND@V4", CredentialsPhase.EXPAND, "4");
        for (int i = 0; i < 12; i++) {
            registerAndLogIn();
        }
        assertFalse(tableExists("credentials"), "V5 not applied yet");
        assertTrue(failures.isEmpty(), failures.toString());

        List<Thread> workload = new ArrayList<>();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        pacer.scheduleAtFixedRate(() -> {
            if (budget.availablePermits() < RATE) {
                budget.release();
            }
        }, 0, 1000 / RATE, TimeUnit.MILLISECONDS);
        running = true;
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(this::workload, "rollout-workload-" + t);
            thread.start();
            workload.add(thread);
        }
        try {
            step("R0 alone", perStep);

            // 1. expand: V5 runs while R0 serves
            Release expand = deploy("R1 EXPAND@V5", CredentialsPhase.EXPAND, "5");
            assertTrue(tableExists("credentials"));
            step("R0 + R1 (V5 applied)", perStep);
            retire(old);
            step("R1", perStep);

            // 2. dual write
            Release dualWrite = deploy("R2 DUAL_WRITE@V5", CredentialsPhase.DUAL_WRITE, "5");
            step("R1 + R2", perStep);
            retire(expand);
            step("R2", perStep);

            // 3. backfill (V6, run by R3's start while R2 serves) and 4. switch reads
            long missingBefore = missingCredentials();
            assertTrue(missingBefore >= 12, "users registered before dual writes need the backfill: " + missingBefore);
            Release readNew = deploy("R3 READ_NEW@V6", CredentialsPhase.READ_NEW, "6");
            assertEquals(0, missingCredentials(), "V6 verified the backfill");
            step("R2 + R3 (V6 backfilled " + missingBefore + ")", perStep);
            retire(dualWrite);
            step("R3", perStep);

            // 5. contract: stop writing the column (V7 makes it nullable) ...
            Release contracted = deploy("R4 CONTRACTED@V7", CredentialsPhase.CONTRACTED, "7");
            step("R3 + R4 (V7 applied)", perStep);
            retire(readNew);
            step("R4", perStep);
            assertTrue(countWhere("users", "password_hash IS NULL") > 0, "R4 stopped writing the column");

            // ... then drop it (V8) in the next release
            Release dropped = deploy("R5 CONTRACTED@V8", CredentialsPhase.CONTRACTED, "latest");
            step("R4 + R5 (V8 applied)", perStep);
            retire(contracted);
            step("R5", perStep);

            running = false;
            for (Thread thread : workload) {
                thread.join(Duration.ofMinutes(2).toMillis());
            }
            assertTrue(failures.isEmpty(), failures.toString());

            // after contract: the column is gone, one credentials row per user, and everyone logs in
            for (int shard = 0; shard < 2; shard++) {
                try (Connection c = connect(shard)) {
                    assertEquals(0, count(c, "SELECT count(*) FROM information_schema.columns WHERE table_schema = '"
                            + schema + "' AND table_name = 'users' AND column_name = 'password_hash'"));
                    assertEquals(count(c, "SELECT count(*) FROM users"), count(c, "SELECT count(*) FROM credentials"));
                    assertEquals(0, count(c, "SELECT count(*) FROM users u WHERE NOT EXISTS"
                            + " (SELECT 1 FROM credentials c WHERE c.user_id = u.id)"));
                    assertEquals(0, count(c, "SELECT count(*) FROM credentials c WHERE NOT EXISTS"
                            + " (SELECT 1 FROM users u WHERE u.id = c.user_id)"));
                    assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"), appliedVersions(c).subList(0, 8));
                }
            }
            assertEquals(accounts.size(), countWhere("users", "true"), "every registered user, minus the deleted");
            AuthService auth = dropped.bean(AuthService.class);
            for (Account account : accounts) {
                assertEquals(account.id(), auth.authenticate(account.username(), account.password()).id(),
                        account.toString());
                assertThrows(Exceptions.BadCredentials.class,
                        () -> auth.authenticate(account.username(), account.password() + "!"), account.toString());
            }
            for (Account account : deleted) {
                assertThrows(Exceptions.BadCredentials.class,
                        () -> auth.authenticate(account.username(), account.password()), account.toString());
            }
            Map<String, Long> byRelease = new HashMap<>();
            accounts.forEach(a -> byRelease.merge(a.registeredBy(), 1L, Long::sum));
            assertEquals(6, byRelease.size(), "users registered by every release: " + byRelease);
            System.out.printf("CredentialsRolloutIT: %d requests, 0 failed, over %d steps %s; %d users (by release %s),"
                    + " %d deleted; %d copied by the V6 backfill%n", requests.get(), perStep.size(), perStep,
                    accounts.size(), byRelease, deleted.size(), missingBefore);
            retire(dropped);
        } finally {
            running = false;
            pacer.shutdownNow();
            for (Thread thread : workload) {
                thread.join(Duration.ofMinutes(2).toMillis());
            }
            for (Release release : live) {
                release.context.close();
            }
        }
    }

    @Test
    void readingTheTableWhileAnInstanceStillWritesOnlyTheColumnLosesLogins() throws Exception {
        schema = TestNames.unique("credentials_skipped");
        prefix = "s" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36) + "_";
        createSchema(schema);
        // R3 started while an R1 instance still serves: the rule of ADR 0005 broken on purpose
        Release expand = deploy("R1 EXPAND@V5", CredentialsPhase.EXPAND, "5");
        Release readNew = deploy("R3 READ_NEW@V6", CredentialsPhase.READ_NEW, "6");
        try {
            String username = prefix + "late";
            String password = PASSWORD_PREFIX + UUID.randomUUID();
            long id = expand.bean(RegistrationService.class).register(username, username + "@example.com", password,
                    null, null).id();
            assertEquals(id, expand.bean(AuthService.class).authenticate(username, password).id());
            assertThrows(Exceptions.BadCredentials.class,
                    () -> readNew.bean(AuthService.class).authenticate(username, password),
                    "registered by R1 after V6 went past: no credentials row");
            assertEquals(1, missingCredentials());
        } finally {
            retire(readNew);
            retire(expand);
        }
    }

    /**
     * Lets the workload run at least a few iterations on the releases now live, then checks that
     * nothing failed, that every user registered so far logs in (through a live release picked at
     * random) and that one user deleted now through a live release is gone with its hash.
     */
    void step(String name, Map<String, Long> perStep) throws Exception {
        long before = requests.get();
        int target = iterations.get() + PER_STEP;
        await().atMost(Duration.ofMinutes(3)).until(() -> iterations.get() >= target || !failures.isEmpty());
        assertTrue(failures.isEmpty(), name + ": " + failures);
        for (Account account : accounts) {
            User user = call(release -> release.bean(AuthService.class).authenticate(account.username(),
                    account.password()));
            assertEquals(account.id(), user.id(), name + ": " + account);
        }
        Account victim = accounts.poll();
        call(release -> {
            deleteAccount(release, victim.id());
            return null;
        });
        deleted.add(victim);
        assertThrows(Exceptions.BadCredentials.class, () -> call(release -> release.bean(AuthService.class)
                .authenticate(victim.username(), victim.password())), name);
        if (tableExists("credentials")) {
            assertEquals(0, countWhere("credentials", "user_id = " + victim.id()), name + ": the hash goes too");
        }
        assertTrue(failures.isEmpty(), name + ": " + failures);
        perStep.put(name, requests.get() - before);
    }

    /** The whole account-deletion saga, its participants' acknowledgements given directly. */
    static void deleteAccount(Release release, long userId) {
        UUID deletionId = release.bean(ProfileService.class).requestDeletion(userId);
        AccountDeletionService deletions = release.bean(AccountDeletionService.class);
        for (String participant : deletions.participants()) {
            deletions.onStepDone(new AccountDeletionStepDone(UUID.randomUUID(), Instant.now(),
                    AccountDeletionStepDone.SCHEMA_VERSION, deletionId, userId, participant));
        }
    }

    void workload() {
        while (running) {
            try {
                if (!budget.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                registerAndLogIn();
            } catch (Throwable e) {
                failures.add(Thread.currentThread().getName() + ": " + e);
            }
            iterations.incrementAndGet();
        }
    }

    /** Registers a user through one live release, then logs in (rightly and wrongly) through others. */
    void registerAndLogIn() {
        String username = prefix + serial.incrementAndGet();
        String password = PASSWORD_PREFIX + UUID.randomUUID();
        String[] by = new String[1];
        User user = call(release -> {
            by[0] = release.name;
            return release.bean(RegistrationService.class).register(username, username + "@example.com", password,
                    null, null);
        });
        User loggedIn = call(release -> release.bean(AuthService.class).authenticate(username.toUpperCase(), password));
        if (loggedIn.id() != user.id()) {
            failures.add(username + " logged in as " + loggedIn.id() + ", registered as " + user.id());
        }
        try {
            call(release -> release.bean(AuthService.class).authenticate(username, password.substring(1)));
            failures.add(username + " logged in with a wrong password");
        } catch (Exceptions.BadCredentials expected) {
            // the right answer
        }
        accounts.add(new Account(username, password, user.id(), by[0]));
    }

    /** One request, on a live release picked at random (a release being drained is skipped). */
    <T> T call(Function<Release, T> request) {
        while (true) {
            List<Release> now = List.copyOf(live);
            Release release = now.get(ThreadLocalRandom.current().nextInt(now.size()));
            release.inFlight.readLock().lock();
            try {
                if (release.retired) {
                    continue;
                }
                requests.incrementAndGet();
                return request.apply(release);
            } finally {
                release.inFlight.readLock().unlock();
            }
        }
    }

    /** Starts a release: its context migrates both shards to {@code target} before it serves. */
    Release deploy(String name, CredentialsPhase phase, String target) {
        Map<String, Object> properties = new HashMap<>();
        for (int shard = 0; shard < 2; shard++) {
            properties.put("datasources.shard" + shard + ".url", jdbcUrl(shard));
            properties.put("datasources.shard" + shard + ".maximum-pool-size", 4);
            properties.put("flyway.datasources.shard" + shard + ".target", target);
        }
        properties.put("chirp.migrations.credentials.phase", phase.name());
        properties.put("chirp.profile-cache.enabled", false);
        properties.put("chirp.sagas.recovery-interval", "1h");
        properties.put(CheapPasswordHasher.ENABLED, true);
        Release release = new Release(name, ApplicationContext.builder().environments("test").properties(properties)
                .start());
        assertEquals(CheapPasswordHasher.class, release.bean(PasswordHasher.class).getClass());
        assertEquals(phase, release.context.getProperty("chirp.migrations.credentials.phase", CredentialsPhase.class)
                .orElseThrow());
        live.add(release);
        return release;
    }

    /** Takes a release out of rotation, waits for its requests in flight, then stops it. */
    void retire(Release release) {
        release.retired = true;
        live.remove(release);
        release.inFlight.writeLock().lock();
        try {
            release.context.close();
        } finally {
            release.inFlight.writeLock().unlock();
        }
    }

    String jdbcUrl(int shard) {
        return SharedEngines.get().jdbcUrl(shard) + "?currentSchema=" + schema;
    }

    Connection connect(int shard) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(shard), SharedEngines.get().property("CHIRP_DB_USER"),
                SharedEngines.get().property("CHIRP_DB_PASSWORD"));
    }

    static void createSchema(String schema) throws SQLException {
        for (int shard = 0; shard < 2; shard++) {
            try (Connection c = DriverManager.getConnection(SharedEngines.get().jdbcUrl(shard),
                    SharedEngines.get().property("CHIRP_DB_USER"), SharedEngines.get().property("CHIRP_DB_PASSWORD"));
                 Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
        }
    }

    boolean tableExists(String table) throws SQLException {
        try (Connection c = connect(0)) {
            return count(c, "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema
                    + "' AND table_name = '" + table + "'") == 1;
        }
    }

    long missingCredentials() throws SQLException {
        return countWhere("users u", "NOT EXISTS (SELECT 1 FROM credentials c WHERE c.user_id = u.id)");
    }

    /** Rows of {@code table} matching {@code condition}, summed over both shards. */
    long countWhere(String table, String condition) throws SQLException {
        long total = 0;
        for (int shard = 0; shard < 2; shard++) {
            try (Connection c = connect(shard)) {
                total += count(c, "SELECT count(*) FROM " + table + " WHERE " + condition);
            }
        }
        return total;
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> appliedVersions(Connection c) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                        + " ORDER BY installed_rank");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }
}
