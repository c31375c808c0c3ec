package io.chirp.tweet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chirp.platform.testing.SharedEngines;

/**
 * Reads topics from their start, in the background, in consumption order, for assertions.
 * Payloads are parsed, never compared as text: the outbox stores them as jsonb, which reorders
 * keys and adds spaces.
 */
final class TopicProbe implements AutoCloseable {

    /** One record: topic, type header, key, parsed value, headers. */
    record Event(String topic, String type, String key, String value, JsonNode json, Map<String, String> headers) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Set<String> topics;
    private final Thread thread;
    private volatile boolean running = true;

    TopicProbe(String... topics) {
        this.topics = Set.of(topics);
        thread = new Thread(this::consume, "probe-" + String.join(",", topics));
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
            consumer.subscribe(topics);
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    Map<String, String> headers = new TreeMap<>();
                    for (Header header : record.headers()) {
                        headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
                    }
                    events.add(new Event(record.topic(), headers.getOrDefault("chirp-event-type", ""), record.key(),
                            record.value(), parse(record.value()), headers));
                }
            }
        }
    }

    private static JsonNode parse(String value) {
        try {
            return value == null ? null : JSON.readTree(value);
        } catch (IOException e) {
            return null; // not JSON (a poison record on a dead-letter topic)
        }
    }

    /** Events of {@code type} whose JSON matches, in consumption order. */
    List<Event> matching(String type, Predicate<JsonNode> filter) {
        List<Event> found = new ArrayList<>();
        for (Event event : events) {
            if (event.type().equals(type) && event.json() != null && filter.test(event.json())) {
                found.add(event);
            }
        }
        return found;
    }

    /** Events on {@code topic} that match. */
    List<Event> on(String topic, Predicate<Event> filter) {
        return events.stream().filter(e -> e.topic().equals(topic) && filter.test(e)).toList();
    }

    /** For failure messages: how many events of each type were seen. */
    String summary() {
        Map<String, Long> byType = new TreeMap<>();
        events.forEach(e -> byType.merge(e.topic() + "/" + e.type(), 1L, Long::sum));
        return byType.toString();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
