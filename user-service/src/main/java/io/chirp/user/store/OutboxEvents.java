package io.chirp.user.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import io.chirp.platform.events.Topics;
import io.chirp.platform.messaging.Outbox;
import io.chirp.platform.messaging.OutboxMessage;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

/** Writes a user event into the outbox of the transaction's database. */
@Singleton
class OutboxEvents {

    private final JsonMapper json;

    OutboxEvents(JsonMapper json) {
        this.json = json;
    }

    /** Appends {@code event} to {@link Topics#USER_EVENTS} with {@code key} (a user id). */
    void append(Connection connection, UUID eventId, long key, Object event) throws SQLException {
        try {
            Outbox.append(connection, new OutboxMessage(eventId, Topics.USER_EVENTS, Long.toString(key),
                    event.getClass().getSimpleName(), json.writeValueAsString(event)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
