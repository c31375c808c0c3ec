package io.chirp.platform.messaging;

import java.util.Objects;
import java.util.UUID;

/**
 * One event to publish, as written to a row of the {@code outbox} table by
 * {@link Outbox#append}.
 *
 * @param eventId     the event's identity, unique in the outbox (its {@code UNIQUE} constraint)
 *                    and sent as the {@code chirp-event-id} header; consumers deduplicate on it
 *                    ({@link Inbox#firstDelivery})
 * @param topic       the Kafka topic to publish to
 * @param key         the Kafka record key: the aggregate id, so one aggregate's events land on one
 *                    partition and stay in order
 * @param eventType   the event's type name (e.g. {@code TweetCreated}), sent as the
 *                    {@code chirp-event-type} header so consumers can dispatch without parsing
 * @param payloadJson the event as a JSON document, sent as the record value. It is stored as
 *                    {@code jsonb}, so PostgreSQL rejects text that is not JSON when the row is
 *                    inserted, and the published text is PostgreSQL's rendering of the document:
 *                    same values, but whitespace normalised, object keys reordered and, of
 *                    duplicate keys, only the last kept. Consumers must parse it, not compare text.
 */
public record OutboxMessage(UUID eventId, String topic, String key, String eventType, String payloadJson) {

    /**
     * Validates the components; the JSON itself is checked by PostgreSQL on insert.
     *
     * @throws NullPointerException     if any component is {@code null}
     * @throws IllegalArgumentException if {@code topic}, {@code key}, {@code eventType} or
     *                                  {@code payloadJson} is blank
     */
    public OutboxMessage {
        Objects.requireNonNull(eventId, "eventId");
        requireText(topic, "topic");
        requireText(key, "key");
        requireText(eventType, "eventType");
        requireText(payloadJson, "payloadJson");
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
