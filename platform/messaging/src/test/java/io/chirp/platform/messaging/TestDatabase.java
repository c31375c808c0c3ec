package io.chirp.platform.messaging;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import io.chirp.platform.testing.SharedEngines;
import io.chirp.platform.testing.TestNames;

/** A schema of its own on physical shard 0, holding the outbox and inbox tables of one test. */
final class TestDatabase {

    /** Same columns and index as every sharded service's outbox migrations ({@code V1__outbox.sql}, {@code V4__outbox_trace_parent.sql}). */
    private static final String OUTBOX = """
            CREATE TABLE outbox (
                id            bigserial   PRIMARY KEY,
                event_id      uuid        NOT NULL UNIQUE,
                topic         text        NOT NULL,
                message_key   text        NOT NULL,
                event_type    text        NOT NULL,
                payload       jsonb       NOT NULL,
                created_at    timestamptz NOT NULL DEFAULT now(),
                sent_at       timestamptz,
                trace_parent  text
            );
            CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
            """;

    /** As documented on {@link Inbox}. */
    private static final String INBOX = """
            CREATE TABLE inbox (
                consumer     text        NOT NULL,
                event_id     uuid        NOT NULL,
                processed_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (consumer, event_id)
            );
            """;

    private final String url;

    private TestDatabase(String url) {
        this.url = url;
    }

    static TestDatabase create() throws SQLException {
        String base = SharedEngines.get().jdbcUrl(0);
        String schema = TestNames.unique("messaging");
        try (Connection admin = DriverManager.getConnection(base, "postgres", "");
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        TestDatabase database = new TestDatabase(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute(OUTBOX);
            statement.execute(INBOX);
        }
        return database;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "postgres", "");
    }

    DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser("postgres");
        dataSource.setPassword("");
        return dataSource;
    }

    /** Appends {@code messages} in one transaction and commits it, as a service's use case would. */
    void commit(List<OutboxMessage> messages) throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            for (OutboxMessage message : messages) {
                Outbox.append(connection, message);
            }
            connection.commit();
        }
    }

    /** The {@code trace_parent} stored with {@code message}'s row. */
    String traceParent(OutboxMessage message) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement select = connection.prepareStatement("SELECT trace_parent FROM outbox WHERE event_id = ?")) {
            select.setObject(1, message.eventId());
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    /** Outbox rows for {@code message}'s event id, sent or not. */
    long outboxRows(OutboxMessage message) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM outbox WHERE event_id = ?")) {
            count.setObject(1, message.eventId());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
