package io.chirp.platform.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.chirp.platform.testing.Engine;
import io.chirp.platform.testing.RealEngines;

@RealEngines(Engine.POSTGRES)
class InboxIT {

    private TestDatabase database;

    @BeforeEach
    void newSchema() throws Exception {
        database = TestDatabase.create();
    }

    @Test
    void firstDeliveryIsTrueOnceThenFalseAndTrueForAnotherConsumer() throws Exception {
        UUID eventId = UUID.randomUUID();
        try (Connection connection = database.connect()) {
            assertTrue(Inbox.firstDelivery(connection, "timeline.tweet-created", eventId));
            assertFalse(Inbox.firstDelivery(connection, "timeline.tweet-created", eventId), "redelivery");
            assertTrue(Inbox.firstDelivery(connection, "search.tweet-created", eventId), "another consumer");
            assertTrue(Inbox.firstDelivery(connection, "timeline.tweet-created", UUID.randomUUID()), "another event");
        }
    }

    @Test
    void handlerThatRolledBackProcessesTheRedeliveryAgain() throws Exception {
        UUID eventId = UUID.randomUUID();
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            assertTrue(Inbox.firstDelivery(connection, "likes.tweet-deleted", eventId));
            connection.rollback(); // the handler's own writes failed

            assertTrue(Inbox.firstDelivery(connection, "likes.tweet-deleted", eventId), "effects were not committed");
            connection.commit();

            assertFalse(Inbox.firstDelivery(connection, "likes.tweet-deleted", eventId), "effects were committed");
            connection.commit();
        }
    }

    @Test
    void purgeDeletesRowsProcessedLongEnoughAgo() throws Exception {
        try (Connection connection = database.connect()) {
            Inbox.firstDelivery(connection, "c", UUID.randomUUID());
            Inbox.firstDelivery(connection, "c", UUID.randomUUID());
        }
        assertEquals(0, Inbox.purge(database.dataSource(), Duration.ofDays(1)));
        assertEquals(2, Inbox.purge(database.dataSource(), Duration.ZERO));
    }

    @Test
    void blankConsumerIsRejected() throws Exception {
        try (Connection connection = database.connect()) {
            assertThrows(IllegalArgumentException.class, () -> Inbox.firstDelivery(connection, " ", UUID.randomUUID()));
        }
    }
}
