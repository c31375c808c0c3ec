package io.chirp.platform.messaging;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class OutboxMessageTest {

    private static final UUID ID = UUID.randomUUID();

    @Test
    void everyComponentIsRequired() {
        assertThrows(NullPointerException.class, () -> new OutboxMessage(null, "tweets", "1", "TweetCreated", "{}"));
        assertThrows(NullPointerException.class, () -> new OutboxMessage(ID, null, "1", "TweetCreated", "{}"));
        assertThrows(NullPointerException.class, () -> new OutboxMessage(ID, "tweets", null, "TweetCreated", "{}"));
        assertThrows(NullPointerException.class, () -> new OutboxMessage(ID, "tweets", "1", null, "{}"));
        assertThrows(NullPointerException.class, () -> new OutboxMessage(ID, "tweets", "1", "TweetCreated", null));
    }

    @Test
    void blankTextIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new OutboxMessage(ID, " ", "1", "TweetCreated", "{}"));
        assertThrows(IllegalArgumentException.class, () -> new OutboxMessage(ID, "tweets", "", "TweetCreated", "{}"));
        assertThrows(IllegalArgumentException.class, () -> new OutboxMessage(ID, "tweets", "1", "\t", "{}"));
        assertThrows(IllegalArgumentException.class, () -> new OutboxMessage(ID, "tweets", "1", "TweetCreated", "  "));
    }

    @Test
    void completeMessageIsAccepted() {
        assertDoesNotThrow(() -> new OutboxMessage(ID, "tweets", "1", "TweetCreated", "{\"tweetId\": 1}"));
    }
}
