package io.chirp.tweet.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import io.chirp.platform.messaging.Outbox;
import io.chirp.platform.messaging.OutboxMessage;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

/** Writes an event into the outbox of the transaction's database. */
@Singleton
class OutboxEvents {

    private final JsonMapper json;

    OutboxEvents(JsonMapper json) {
        this.json = json;
    }

    /**
     * Appends {@code event} to {@code topic} with {@code key} (the aggregate id); its type header
     * is the record's simple name.
     */
    void append(Connection connection, String topic, UUID eventId, long key, Object event) throws SQLException {
        try {
            Outbox.append(connection, new OutboxMessage(eventId, topic, Long.toString(key),
                    event.getClass().getSimpleName(), json.writeValueAsString(event)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
