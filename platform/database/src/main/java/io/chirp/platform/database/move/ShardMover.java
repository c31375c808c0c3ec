package io.chirp.platform.database.move;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.chirp.platform.sharding.LogicalShards;
import io.chirp.platform.sharding.ShardMap;

/**
 * Moves one logical shard's rows of one service to another physical database while the service
 * serves traffic (docs/adr/0008-online-shard-move.md), in plain JDBC against the service's
 * databases and HTTP against its instances ({@link ServiceInstances}):
 *
 * <ol>
 *   <li><b>copy</b>: every row of the logical shard ({@link ShardTables}) is upserted into the
 *       target;</li>
 *   <li><b>catch up</b>: both sides are diffed again (primary key → md5 of the row) and the
 *       target is patched (insert, update, delete) until a round changes at most
 *       {@link Settings#smallDiff} rows;</li>
 *   <li><b>fence</b> the logical shard in every instance: each waits for the transactions in
 *       flight there to end, then holds new ones;</li>
 *   <li><b>final diff</b> (the source no longer changes) and wait for the source's outbox to
 *       publish what was committed before the fence;</li>
 *   <li><b>verify</b>: per table, a checksum of the shard's rows (md5 over the ordered
 *       primary keys and row hashes) and the row count must be equal on both sides, else the
 *       move is undone;</li>
 *   <li><b>switch</b>: the override is persisted on every database of the service
 *       ({@link PersistedShardMap}), every instance switches its map, the fence lifts;</li>
 *   <li><b>clean up</b>, after {@link Settings#cleanupGrace}: the shard's rows are deleted from
 *       the source (never the inbox, whose rows are not the shard's alone, nor the outbox).</li>
 * </ol>
 *
 * The fence time printed is from the first fence request sent to the last lift answered.
 * Errors: {@link MoveFailedException}, after lifting the fence and deleting the target's copy
 * when it happens before the switch; the map is then unchanged.
 */
public final class ShardMover {

    /**
     * One service's databases and instances.
     *
     * @param name      for the report, e.g. {@code user-service}
     * @param jdbcUrls  physical name → JDBC URL of the service's database on it
     * @param user      database user
     * @param password  database password (may be empty)
     * @param instances every instance's base URL
     */
    public record Service(String name, Map<String, String> jdbcUrls, String user, String password, List<URI> instances) {
    }

    /**
     * Knobs of a move.
     *
     * @param maxCatchUpRounds catch-up rounds before the fence, at most
     * @param smallDiff        a catch-up round changing at most this many rows ends the catch-up
     * @param drainTimeout     how long an instance waits for the work in flight when fenced
     * @param maxHold          an instance lifts a fence held longer than this by itself
     * @param outboxWait       how long to wait, fenced, for the source's outbox to publish
     * @param cleanupGrace     between the switch and deleting the source's rows
     * @param batchSize        rows per upsert or delete statement
     */
    public record Settings(int maxCatchUpRounds, int smallDiff, Duration drainTimeout, Duration maxHold,
                           Duration outboxWait, Duration cleanupGrace, int batchSize) {

        public static final Settings DEFAULTS = new Settings(8, 50, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(2), Duration.ofSeconds(2), 500);
    }

    /**
     * What happened to one table.
     *
     * @param copied          rows upserted into the target, over all rounds
     * @param deleted         rows deleted from the target by the catch-up
     * @param rows            the shard's rows on each side at the verification
     * @param sourceChecksum  md5 of the source's ordered (key, row md5) pairs
     * @param targetChecksum  the same on the target; equal, or the move was undone
     * @param removedFromSource rows deleted from the source at the clean-up
     */
    public record TableReport(String table, ShardTables.Kind kind, long copied, long deleted, long rows,
                              String sourceChecksum, String targetChecksum, long removedFromSource) {
    }

    /** A move's outcome and timings; {@link #fence} is the figure that matters to requests. */
    public record Report(String service, int logical, String from, String to, List<TableReport> tables,
                         int catchUpRounds, Duration copy, Duration catchUp, Duration drain, Duration finalDiff,
                         Duration outboxWait, Duration verify, Duration persist, Duration switchMap, Duration fence,
                         Duration cleanup, Duration total) {

        /** Every step's time, one line. */
        public String timings() {
            return String.format(Locale.ROOT, "copy %s, catch-up %s (%d rounds), fence %s [drain %s, final diff %s,"
                            + " outbox %s, verify %s, persist %s, switch %s], clean-up %s, total %s", ms(copy), ms(catchUp),
                    catchUpRounds, ms(fence), ms(drain), ms(finalDiff), ms(outboxWait), ms(verify), ms(persist),
                    ms(switchMap), ms(cleanup), ms(total));
        }
    }

    /** The move did not happen (or, after the switch, could not clean up); the message says which. */
    public static final class MoveFailedException extends RuntimeException {
        public MoveFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Settings settings;
    private final PrintStream log;
    /** Reads the target's snapshot while the calling thread reads the source's. */
    private final java.util.concurrent.ExecutorService parallel = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "shard-move-snapshot");
        thread.setDaemon(true);
        return thread;
    });

    public ShardMover(Settings settings, PrintStream log) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Moves {@code logical} of {@code service} to {@code toPhysical}.
     *
     * @return the report; {@code from == to} and no step when the shard is already there
     * @throws MoveFailedException when the instances disagree on the map, a table cannot be
     *                             mapped, an instance cannot be fenced, or the checksums differ
     */
    public Report move(Service service, int logical, String toPhysical) {
        LogicalShards.requireValid(logical);
        long start = System.nanoTime();
        ServiceInstances instances = new ServiceInstances(service.instances(),
                settings.drainTimeout().plusSeconds(5));
        String from = currentPhysical(instances, logical, toPhysical);
        if (from.equals(toPhysical)) {
            say(service, "logical shard %d is already on %s: nothing to move", logical, toPhysical);
            return new Report(service.name(), logical, from, toPhysical, List.of(), 0, Duration.ZERO, Duration.ZERO,
                    Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                    Duration.ZERO, Duration.ZERO, Duration.ofNanos(System.nanoTime() - start));
        }
        requireUrl(service, from);
        requireUrl(service, toPhysical);
        try (Connection source = connect(service, from); Connection target = connect(service, toPhysical)) {
            List<Table> tables = describe(source, target);
            Map<String, Connection> everyDatabase = new LinkedHashMap<>();
            for (String physical : service.jdbcUrls().keySet()) {
                try {
                    everyDatabase.put(physical, connect(service, physical));
                } catch (SQLException e) {
                    say(service, "WARNING: cannot connect to %s to persist the map there: %s", physical, e.getMessage());
                }
            }
            Instant moveStart = dbNow(source);
            Map<String, Counts> counts = new LinkedHashMap<>();
            tables.forEach(t -> counts.put(t.spec.name(), new Counts()));
            say(service, "moving logical shard %d from %s to %s (tables: %s)", logical, from, toPhysical,
                    tables.stream().map(t -> t.spec.name() + (t.spec.moved() ? "" : " (" + t.spec.kind() + ")"))
                            .collect(Collectors.joining(", ")));

            long t0 = System.nanoTime();
            long changed = syncAll(tables, source, target, logical, null, counts, false);
            Duration copy = since(t0);
            say(service, "copied %d rows in %s", changed, ms(copy));

            long t1 = System.nanoTime();
            Instant window = moveStart.minus(Duration.ofMinutes(10));
            int rounds = 0;
            do {
                changed = syncAll(tables, source, target, logical, window, counts, false);
                rounds++;
                say(service, "catch-up round %d: %d rows changed", rounds, changed);
            } while (changed > settings.smallDiff() && rounds < settings.maxCatchUpRounds());
            Duration catchUp = since(t1);

            // the fence: from the first request sent to the last lift answered
            long fenceStart = System.nanoTime();
            List<URI> fenced = new ArrayList<>();
            Duration drain = Duration.ZERO;
            Duration finalDiff;
            Duration outboxWait;
            Duration verify;
            Duration persist;
            List<TableReport> reports = new ArrayList<>();
            try {
                for (URI instance : instances.instances()) {
                    Duration d = instances.fence(instance, logical, settings.drainTimeout(), settings.maxHold());
                    fenced.add(instance);
                    drain = d.compareTo(drain) > 0 ? d : drain;
                }
                long outboxHigh = outboxHighWater(source, tables);
                long t2 = System.nanoTime();
                changed = syncAll(tables, source, target, logical, window, counts, true);
                finalDiff = since(t2);
                say(service, "fenced (drain %s); final diff: %d rows changed in %s", ms(drain), changed, ms(finalDiff));

                long t3 = System.nanoTime();
                waitForOutbox(service, source, outboxHigh);
                outboxWait = since(t3);

                long t4 = System.nanoTime();
                List<String> mismatches = new ArrayList<>();
                for (Table table : tables) {
                    TableReport report = verify(table, source, target, logical, window, counts.get(table.spec.name()));
                    reports.add(report);
                    if (!report.sourceChecksum().equals(report.targetChecksum())) {
                        mismatches.add(table.spec.name());
                    }
                }
                verify = since(t4);
                if (!mismatches.isEmpty()) {
                    throw new MoveFailedException("checksums differ for " + mismatches + ": " + reports, null);
                }
                if (since(fenceStart).compareTo(settings.maxHold().dividedBy(2)) > 0) {
                    throw new MoveFailedException("the fence has been up for " + ms(since(fenceStart))
                            + ", too close to the instances' automatic lift after " + ms(settings.maxHold()), null);
                }
                long t45 = System.nanoTime();
                persist(service, everyDatabase, logical, toPhysical);
                persist = since(t45);
            } catch (IOException | SQLException | RuntimeException e) {
                for (Connection c : everyDatabase.values()) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // closing after a failure
                    }
                }
                undo(service, instances, fenced, logical, target, tables);
                throw e instanceof MoveFailedException mfe ? mfe
                        : new MoveFailedException("move of logical shard " + logical + " of " + service.name()
                                + " abandoned (map unchanged): " + e.getMessage(), e);
            }
            // persisted: from here the move goes forward (an instance not reached now reloads the map)
            long t5 = System.nanoTime();
            for (URI instance : instances.instances()) {
                try {
                    instances.switchTo(instance, logical, toPhysical);
                } catch (IOException e) {
                    say(service, "WARNING: %s did not switch (%s); it reloads the persisted map within seconds",
                            instance, e.getMessage());
                }
            }
            Duration switchMap = since(t5);
            for (URI instance : fenced) {
                try {
                    instances.lift(instance, logical);
                } catch (IOException e) {
                    say(service, "WARNING: %s did not lift the fence (%s); it lifts it after %s by itself", instance,
                            e.getMessage(), ms(settings.maxHold()));
                }
            }
            Duration fence = since(fenceStart);
            say(service, "switched logical shard %d to %s; fence held %s", logical, toPhysical, ms(fence));

            long t6 = System.nanoTime();
            sleep(settings.cleanupGrace());
            Map<String, Long> removed = cleanUp(tables, source, logical);
            Duration cleanup = since(t6);
            List<TableReport> finalReports = reports.stream().map(r -> new TableReport(r.table(), r.kind(), r.copied(),
                    r.deleted(), r.rows(), r.sourceChecksum(), r.targetChecksum(),
                    removed.getOrDefault(r.table(), 0L))).toList();
            Report report = new Report(service.name(), logical, from, toPhysical, finalReports, rounds, copy, catchUp,
                    drain, finalDiff, outboxWait, verify, persist, switchMap, fence, cleanup, since(start));
            say(service, "done: %s", report.timings());
            return report;
        } catch (SQLException e) {
            throw new MoveFailedException("move of logical shard " + logical + " of " + service.name()
                    + " failed: " + e.getMessage(), e);
        }
    }

    /** The physical database every instance routes {@code logical} to; they must agree. */
    private String currentPhysical(ServiceInstances instances, int logical, String toPhysical) {
        Set<String> seen = new TreeSet<>();
        for (URI instance : instances.instances()) {
            try {
                ShardMap map = instances.map(instance);
                if (!map.physicalNames().contains(toPhysical)) {
                    throw new MoveFailedException(instance + " knows no database '" + toPhysical + "'; known: "
                            + map.physicalNames(), null);
                }
                seen.add(map.physicalFor(logical));
            } catch (IOException e) {
                throw new MoveFailedException("cannot read the shard map of " + instance + ": " + e.getMessage(), e);
            }
        }
        if (seen.size() != 1) {
            throw new MoveFailedException("the instances disagree on where logical shard " + logical + " is: " + seen
                    + " (an earlier move half done? their maps reload from shard_map_overrides within seconds)", null);
        }
        return seen.iterator().next();
    }

    // ---- tables ----------------------------------------------------------------------------

    /** A table with its columns and primary key, as read from the catalog. */
    private record Table(ShardTables.Table spec, List<String> columns, List<String> primaryKey) {

        String keyExpr() {
            return "json_build_array(" + primaryKey.stream().map(c -> "t." + quote(c))
                    .collect(Collectors.joining(", ")) + ")::text";
        }

        String quoted() {
            return quote(spec.name());
        }
    }

    private List<Table> describe(Connection source, Connection target) throws SQLException {
        List<String> names = tableNames(source);
        List<String> targetNames = tableNames(target);
        if (!new TreeSet<>(names).equals(new TreeSet<>(targetNames))) {
            throw new MoveFailedException("source and target have different tables (migrations not at the same"
                    + " version?): " + new TreeSet<>(names) + " vs " + new TreeSet<>(targetNames), null);
        }
        List<Table> tables = new ArrayList<>();
        for (ShardTables.Table spec : ShardTables.plan(names)) {
            if (spec.kind() == ShardTables.Kind.METADATA) {
                continue;
            }
            List<String> columns = columns(source, spec.name());
            if (!columns.equals(columns(target, spec.name()))) {
                throw new MoveFailedException("table " + spec.name() + " has different columns on the target", null);
            }
            List<String> pk = primaryKey(source, spec.name());
            if (pk.isEmpty() && spec.kind() != ShardTables.Kind.OUTBOX) {
                throw new MoveFailedException("table " + spec.name() + " has no primary key: cannot diff it", null);
            }
            tables.add(new Table(spec, columns, pk));
        }
        return tables;
    }

    private static List<String> tableNames(Connection c) throws SQLException {
        return strings(c, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition", null);
    }

    private static List<String> columns(Connection c, String table) throws SQLException {
        return strings(c, "SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0"
                + " AND NOT attisdropped ORDER BY attnum", table);
    }

    private static List<String> primaryKey(Connection c, String table) throws SQLException {
        return strings(c, "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary"
                + " ORDER BY array_position(i.indkey::int2[], a.attnum)", table);
    }

    private static List<String> strings(Connection c, String sql, String parameter) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }

    // ---- diff and apply --------------------------------------------------------------------

    private static final class Counts {
        long copied;
        long deleted;
    }

    /**
     * One round over every moved table: upserts in copy order, then deletes in reverse order.
     *
     * @param window inbox rows processed since then (null: all of them)
     * @param strict under the fence: a failed statement fails the move instead of waiting for
     *               the next round (a child row whose parent arrived after the parent's diff)
     * @return rows changed on the target
     */
    private long syncAll(List<Table> tables, Connection source, Connection target, int logical, Instant window,
                         Map<String, Counts> counts, boolean strict) throws SQLException {
        long changed = 0;
        Map<Table, List<String>> deletes = new LinkedHashMap<>();
        for (Table table : tables) {
            if (table.spec.kind() == ShardTables.Kind.OUTBOX) {
                continue;
            }
            Map<String, String>[] both = snapshots(source, target, table, logical, window);
            Map<String, String> src = both[0];
            Map<String, String> dst = both[1];
            Set<String> upserts = new TreeSet<>();
            src.forEach((key, hash) -> {
                String there = dst.get(key);
                if (there == null || (table.spec.kind() != ShardTables.Kind.INBOX && !there.equals(hash))) {
                    upserts.add(key);
                }
            });
            if (table.spec.moved()) {
                List<String> gone = dst.keySet().stream().filter(k -> !src.containsKey(k)).toList();
                if (!gone.isEmpty()) {
                    deletes.put(table, gone);
                }
            }
            try {
                long n = copy(table, source, target, logical, window, upserts);
                counts.get(table.spec.name()).copied += n;
                changed += n;
            } catch (SQLException e) {
                if (strict) {
                    throw e;
                }
                changed += upserts.size(); // another round
            }
        }
        List<Table> reversed = new ArrayList<>(deletes.keySet());
        java.util.Collections.reverse(reversed);
        for (Table table : reversed) {
            long n = delete(target, table, deletes.get(table));
            counts.get(table.spec.name()).deleted += n;
            changed += n;
        }
        return changed;
    }

    /** The snapshots of both sides, read at the same time (the fence waits for them). */
    @SuppressWarnings("unchecked")
    private Map<String, String>[] snapshots(Connection source, Connection target, Table table, int logical,
                                            Instant window) throws SQLException {
        java.util.concurrent.Future<Map<String, String>> there = parallel.submit(
                () -> snapshot(target, table, logical, window));
        Map<String, String> here = snapshot(source, table, logical, window);
        try {
            return new Map[] {here, there.get()};
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        }
    }

    /** Primary key (as JSON text) → md5 of the row, for the shard's rows of one table. */
    private Map<String, String> snapshot(Connection c, Table table, int logical, Instant window) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (PreparedStatement s = select(c, table, table.keyExpr() + ", md5(t::text)", logical, window);
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                if (belongs(table, rs, logical)) {
                    rows.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        c.commit();
        return rows;
    }

    /** {@code SELECT <what>[, key column] FROM table t WHERE <the shard's rows>}, streamed. */
    private PreparedStatement select(Connection c, Table table, String what, int logical, Instant window)
            throws SQLException {
        String sql = "SELECT " + what;
        ShardTables.Table spec = table.spec;
        if (spec.kind() == ShardTables.Kind.BY_KEY) {
            sql += ", t." + quote(spec.keyColumn());
        }
        sql += " FROM " + table.quoted() + " t";
        if (spec.kind() == ShardTables.Kind.BY_ID) {
            sql += " WHERE " + spec.predicate();
        } else if (spec.kind() == ShardTables.Kind.INBOX && window != null) {
            sql += " WHERE t.processed_at >= ?";
        }
        c.setAutoCommit(false); // a cursor (fetch size) needs a transaction
        PreparedStatement s = c.prepareStatement(sql);
        s.setFetchSize(2_000);
        if (spec.kind() == ShardTables.Kind.BY_ID) {
            s.setInt(1, logical);
        } else if (spec.kind() == ShardTables.Kind.INBOX && window != null) {
            s.setTimestamp(1, Timestamp.from(window));
        }
        return s;
    }

    private static boolean belongs(Table table, ResultSet rs, int logical) throws SQLException {
        if (table.spec.kind() != ShardTables.Kind.BY_KEY) {
            return true;
        }
        return LogicalShards.forKey(rs.getString(3)) == logical;
    }

    /** Upserts the rows with these keys from the source into the target. */
    private long copy(Table table, Connection source, Connection target, int logical, Instant window,
                      Set<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            source.commit();
            return 0;
        }
        String cols = table.columns.stream().map(ShardMover::quote).collect(Collectors.joining(", "));
        List<String> nonKey = table.columns.stream().filter(c -> !table.primaryKey.contains(c)).toList();
        String conflict = table.spec.kind() == ShardTables.Kind.INBOX || nonKey.isEmpty() ? "DO NOTHING"
                : "DO UPDATE SET " + nonKey.stream().map(c -> quote(c) + " = EXCLUDED." + quote(c))
                        .collect(Collectors.joining(", "));
        String upsert = "INSERT INTO " + table.quoted() + " (" + cols + ") SELECT " + cols
                + " FROM json_populate_recordset(null::" + table.quoted() + ", ?::json) ON CONFLICT ("
                + table.primaryKey.stream().map(ShardMover::quote).collect(Collectors.joining(", ")) + ") " + conflict;
        long copied = 0;
        List<String> batch = new ArrayList<>();
        try (PreparedStatement read = select(source, table, table.keyExpr() + ", row_to_json(t)::text", logical, window);
             ResultSet rs = read.executeQuery();
             PreparedStatement write = target.prepareStatement(upsert)) {
            target.setAutoCommit(false);
            try {
                while (rs.next()) {
                    if (keys.contains(rs.getString(1)) && belongs(table, rs, logical)) {
                        batch.add(rs.getString(2));
                        if (batch.size() == settings.batchSize()) {
                            copied += flush(write, batch);
                        }
                    }
                }
                copied += flush(write, batch);
                target.commit();
            } catch (SQLException e) {
                target.rollback();
                throw e;
            } finally {
                target.setAutoCommit(true);
                source.commit();
            }
        }
        return copied;
    }

    private static long flush(PreparedStatement write, List<String> rowsAsJson) throws SQLException {
        if (rowsAsJson.isEmpty()) {
            return 0;
        }
        write.setString(1, "[" + String.join(",", rowsAsJson) + "]");
        write.executeUpdate();
        long n = rowsAsJson.size();
        rowsAsJson.clear();
        return n;
    }

    private long delete(Connection c, Table table, List<String> keys) throws SQLException {
        long deleted = 0;
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table.quoted() + " t WHERE "
                + table.keyExpr() + " = ANY(?)")) {
            for (int i = 0; i < keys.size(); i += settings.batchSize()) {
                List<String> part = keys.subList(i, Math.min(keys.size(), i + settings.batchSize()));
                s.setArray(1, c.createArrayOf("text", part.toArray()));
                deleted += s.executeUpdate();
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
        return deleted;
    }

    // ---- fence-time steps ------------------------------------------------------------------

    private static long outboxHighWater(Connection source, List<Table> tables) throws SQLException {
        if (tables.stream().noneMatch(t -> t.spec.kind() == ShardTables.Kind.OUTBOX)) {
            return 0;
        }
        source.setAutoCommit(true);
        try (Statement s = source.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Waits until the source's relay has published every outbox row up to {@code highWater}, so
     * the shard's events written before the switch reach Kafka before those written after it
     * (from the target's outbox); gives up after {@link Settings#outboxWait} with a warning.
     */
    private void waitForOutbox(Service service, Connection source, long highWater) throws SQLException {
        if (highWater == 0) {
            return;
        }
        source.setAutoCommit(true);
        long deadline = System.nanoTime() + settings.outboxWait().toNanos();
        try (PreparedStatement s = source.prepareStatement(
                "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND id <= ?")) {
            s.setLong(1, highWater);
            while (true) {
                long unsent;
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    unsent = rs.getLong(1);
                }
                if (unsent == 0) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    say(service, "WARNING: %d outbox rows written before the fence are still unsent after %s;"
                            + " going on (their events may reach consumers after later ones of the same key)",
                            unsent, ms(settings.outboxWait()));
                    return;
                }
                sleep(Duration.ofMillis(5));
            }
        }
    }

    private TableReport verify(Table table, Connection source, Connection target, int logical, Instant window,
                               Counts counts) throws SQLException {
        if (table.spec.kind() == ShardTables.Kind.OUTBOX) {
            return new TableReport(table.spec.name(), table.spec.kind(), 0, 0, 0, "-", "-", 0);
        }
        Map<String, String>[] both = snapshots(source, target, table, logical, window);
        Map<String, String> src = both[0];
        Map<String, String> dst = both[1];
        source.commit();
        target.commit();
        if (table.spec.kind() == ShardTables.Kind.INBOX) {
            // a union: every recent source row must be on the target
            long missing = src.keySet().stream().filter(k -> !dst.containsKey(k)).count();
            return new TableReport(table.spec.name(), table.spec.kind(), counts.copied, 0, src.size(),
                    "missing 0", "missing " + missing, 0);
        }
        return new TableReport(table.spec.name(), table.spec.kind(), counts.copied, counts.deleted, src.size(),
                checksum(src) + "/" + src.size(), checksum(dst) + "/" + dst.size(), 0);
    }

    /** md5 over the ordered {@code key \t row-md5 \n} lines. */
    static String checksum(Map<String, String> rows) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (Map.Entry<String, String> row : new TreeMap<>(rows).entrySet()) {
                md5.update((row.getKey() + "\t" + row.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the override on every database (connections opened before the fence); closes them. */
    private void persist(Service service, Map<String, Connection> everyDatabase, int logical, String toPhysical) {
        Instant now = Instant.now();
        List<String> failed = new ArrayList<>();
        for (String physical : service.jdbcUrls().keySet()) {
            try (Connection c = everyDatabase.get(physical)) {
                if (c == null) {
                    throw new SQLException("not connected");
                }
                PersistedShardMap.write(c, logical, toPhysical, now);
            } catch (SQLException e) {
                failed.add(physical + " (" + e.getMessage() + ")");
            }
        }
        if (failed.size() == service.jdbcUrls().size()) {
            throw new MoveFailedException("cannot persist the new map on any database: " + failed, null);
        }
        if (!failed.isEmpty()) {
            say(service, "WARNING: the new map is not persisted on %s", failed);
        }
    }

    /** Before the switch: lift the fences, delete the target's copy; the map is unchanged. */
    private void undo(Service service, ServiceInstances instances, List<URI> fenced, int logical, Connection target,
                      List<Table> tables) {
        for (URI instance : fenced) {
            try {
                instances.lift(instance, logical);
            } catch (IOException e) {
                say(service, "WARNING: %s did not lift the fence (%s); it does by itself after %s", instance,
                        e.getMessage(), ms(settings.maxHold()));
            }
        }
        try {
            target.rollback();
            target.setAutoCommit(true);
            cleanUp(tables, target, logical);
        } catch (SQLException | RuntimeException e) {
            say(service, "WARNING: the copy on the target was not deleted (%s)", e.getMessage());
        }
    }

    /** Deletes the shard's rows of the moved tables, children first; rows deleted per table. */
    private Map<String, Long> cleanUp(List<Table> tables, Connection c, int logical) throws SQLException {
        Map<String, Long> removed = new LinkedHashMap<>();
        List<Table> reversed = new ArrayList<>(tables);
        java.util.Collections.reverse(reversed);
        for (Table table : reversed) {
            if (!table.spec.moved()) {
                continue;
            }
            List<String> keys = new ArrayList<>(snapshot(c, table, logical, null).keySet());
            c.commit();
            c.setAutoCommit(true);
            removed.put(table.spec.name(), delete(c, table, keys));
        }
        return removed;
    }

    // ---- plumbing --------------------------------------------------------------------------

    private static void requireUrl(Service service, String physical) {
        if (!service.jdbcUrls().containsKey(physical)) {
            throw new MoveFailedException("no JDBC URL for " + service.name() + "'s database on " + physical, null);
        }
    }

    private static Connection connect(Service service, String physical) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", service.user());
        props.setProperty("password", service.password() == null ? "" : service.password());
        props.setProperty("ApplicationName", "chirp-shard-move");
        Connection c = DriverManager.getConnection(service.jdbcUrls().get(physical), props);
        try (Statement s = c.createStatement()) {
            // the row text hashed on both sides must not depend on the session
            s.execute("SET TIME ZONE 'UTC'");
            s.execute("SET statement_timeout = '60s'");
        }
        return c;
    }

    private static Instant dbNow(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    static String ms(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void say(Service service, String format, Object... args) {
        log.printf(Locale.ROOT, "[%s] %s%n", service.name(), String.format(Locale.ROOT, format, args));
    }
}
