package io.chirp.user;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chirp.platform.events.Topics;
import io.chirp.platform.testing.SharedEngines;

/** Reads {@code chirp.user.events} from the start, in the background, for assertions. */
final class UserEventsProbe implements AutoCloseable {

    /** One consumed event: its type header, key and JSON payload. */
    record Event(String type, String key, String payload) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    UserEventsProbe() {
        thread = new Thread(this::consume, "user-events-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void consume() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedEngines.get().kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, true),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of(Topics.USER_EVENTS));
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    Header type = record.headers().lastHeader("chirp-event-type");
                    events.add(new Event(type == null ? "" : new String(type.value()), record.key(), record.value()));
                }
            }
        }
    }

    /** Events of {@code type} whose JSON payload has every given field with the given value. */
    List<Event> matching(String type, Map<String, Object> fields) {
        List<Event> found = new ArrayList<>();
        for (Event event : events) {
            if (event.type().equals(type) && hasFields(event.payload(), fields)) {
                found.add(event);
            }
        }
        return found;
    }

    private static boolean hasFields(String payload, Map<String, Object> fields) {
        try {
            JsonNode json = JSON.readTree(payload);
            return fields.entrySet().stream()
                    .allMatch(f -> json.path(f.getKey()).asText().equals(String.valueOf(f.getValue())));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** For failure messages: how many events of each type were seen. */
    String summary() {
        Map<String, Long> byType = new java.util.TreeMap<>();
        events.forEach(e -> byType.merge(e.type(), 1L, Long::sum));
        return byType.toString();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
