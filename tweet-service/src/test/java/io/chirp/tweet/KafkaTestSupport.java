package io.chirp.tweet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import io.chirp.platform.messaging.Outbox;
import io.chirp.platform.testing.SharedEngines;

/** Publishing events as another service would, and waiting until a consumer group has read a topic. */
final class KafkaTestSupport {

    private static KafkaProducer<String, String> producer;

    private KafkaTestSupport() {
    }

    private static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    SharedEngines.get().kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    /** Publishes like the outbox relay does: key, JSON value, event id and type headers; waits for the ack. */
    static void publish(String topic, long key, String type, UUID eventId, String payload) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, Long.toString(key), payload);
        record.headers().add("chirp-event-id", eventId.toString().getBytes(StandardCharsets.UTF_8));
        if (type != null) {
            record.headers().add("chirp-event-type", type.getBytes(StandardCharsets.UTF_8));
        }
        try {
            producer().send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot publish to " + topic, e);
        }
    }

    /** Waits until every outbox row of these databases was published. */
    static void awaitOutboxesDrained(Iterable<DataSource> databases) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (DataSource db : databases) {
                assertEquals(0, Outbox.backlog(db), "unpublished outbox rows");
            }
        });
    }

    /**
     * Waits until consumer group {@code group} has committed, on every partition of {@code topic},
     * the offset after the last record there now: everything published so far was handled.
     */
    static void awaitConsumed(String group, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedEngines.get().kafkaBootstrap()))) {
            Map<TopicPartition, Long> ends = endOffsets(admin, topic);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                    OffsetAndMetadata at = committed.get(end.getKey());
                    long position = at == null ? 0 : at.offset();
                    assertEquals(end.getValue(), position, group + " on " + end.getKey());
                }
            });
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws AssertionError {
        try {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        } catch (Exception e) {
            throw new AssertionError("cannot read the end offsets of " + topic, e);
        }
    }
}
