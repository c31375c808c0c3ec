package io.chirp.search.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.events.Topics;
import io.chirp.search.config.SearchProperties;
import io.chirp.search.domain.EventLog;
import io.chirp.search.domain.IndexChange;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * The tweet and user topics as the event log of a reindex. A replay uses its own consumer group
 * ({@link SearchProperties#replayGroup()}), reset to the earliest offsets of every partition of
 * both topics (seek to beginning, then commits as it goes), so the live group's position is
 * never touched. Partitions are assigned, not subscribed: no rebalance can interrupt a replay.
 */
@Singleton
class KafkaEventLog implements EventLog {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventLog.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private final String bootstrap;
    private final SearchProperties properties;
    private final EventDecoder decoder;

    KafkaEventLog(@Value("${kafka.bootstrap.servers}") String bootstrap, SearchProperties properties, EventDecoder decoder) {
        this.bootstrap = bootstrap;
        this.properties = properties;
        this.decoder = decoder;
    }

    @Override
    public Replay replayFromStart() {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, properties.replayGroup(),
                ConsumerConfig.CLIENT_ID_CONFIG, "search-reindex",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, SearchEventsListener.BATCH_SIZE,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.TWEET_EVENTS, Topics.USER_EVENTS)) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
                if (infos != null) {
                    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return new KafkaReplay(consumer, partitions);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    private final class KafkaReplay implements Replay {

        private final KafkaConsumer<String, String> consumer;
        private final List<TopicPartition> partitions;

        KafkaReplay(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
            this.consumer = consumer;
            this.partitions = partitions;
        }

        @Override
        public long toEnd(Consumer<List<IndexChange>> sink) {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long read = 0;
            while (!reached(end)) {
                ConsumerRecords<String, String> records = consumer.poll(POLL);
                List<IndexChange> changes = new ArrayList<>(records.count());
                for (ConsumerRecord<String, String> record : records) {
                    try {
                        decoder.decode(record).ifPresent(changes::add);
                    } catch (EventDecoder.Undecodable e) {
                        LOG.warn("reindex skips an undecodable record (dead-lettered when first consumed): {}",
                                e.getMessage());
                    }
                }
                if (!changes.isEmpty()) {
                    sink.accept(changes);
                }
                read += records.count();
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
            return read;
        }

        private boolean reached(Map<TopicPartition, Long> end) {
            for (TopicPartition partition : partitions) {
                if (consumer.position(partition) < end.getOrDefault(partition, 0L)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
