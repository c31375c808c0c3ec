package io.chirp.platform.messaging;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.chirp.platform.testing.SharedEngines;
import io.chirp.platform.testing.TestNames;

/** Topics of their own for each test, and reading them back from the beginning. */
final class TestTopics {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private TestTopics() {
    }

    static String create(int partitions) throws Exception {
        String topic = TestNames.unique("outbox");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedEngines.get().kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        return topic;
    }

    /**
     * Everything the topic holds now: reads every partition from the beginning up to the end
     * offsets taken when called. Once the outbox backlog is 0 no row can be published again, so
     * this is the complete record of what the relay published.
     */
    static List<ConsumerRecord<String, String>> readToEnd(String topic) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return records;
        }
    }

    /** Subscribes to {@code topic} from the beginning and reads until {@code done} holds for what was read. */
    static List<ConsumerRecord<String, String>> consumeUntil(String topic,
                                                             Predicate<List<ConsumerRecord<String, String>>> done) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return done.test(records);
            });
            return records;
        }
    }

    static UUID eventId(ConsumerRecord<String, String> record) {
        return UUID.fromString(header(record, OutboxRelay.EVENT_ID_HEADER));
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedEngines.get().kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, TestNames.unique("reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
    }
}
