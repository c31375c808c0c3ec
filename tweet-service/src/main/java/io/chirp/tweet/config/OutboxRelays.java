package io.chirp.tweet.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.Producer;

import io.chirp.platform.messaging.KafkaProducers;
import io.chirp.platform.messaging.OutboxRelay;
import io.chirp.platform.sharding.ShardedDataSources;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;

/**
 * One outbox relay per physical shard, sharing one idempotent Kafka producer, running from
 * start-up to shutdown.
 */
@Context
public class OutboxRelays implements AutoCloseable {

    private final Producer<String, String> producer;
    private final List<OutboxRelay> relays = new ArrayList<>();

    OutboxRelays(ShardedDataSources shards,
                 @Value("${kafka.bootstrap.servers}") String bootstrap,
                 @Value("${chirp.outbox.poll-interval:50ms}") Duration pollInterval,
                 @Value("${chirp.outbox.batch-size:500}") int batchSize) {
        this.producer = KafkaProducers.idempotent(bootstrap, "tweet-service-outbox");
        for (Map.Entry<String, DataSource> shard : shards.all().entrySet()) {
            OutboxRelay relay = new OutboxRelay(shard.getKey(), shard.getValue(), producer, pollInterval, batchSize);
            relays.add(relay);
            relay.start();
        }
    }

    /** Every relay (tests pause and resume them to stand for a crash between commit and publish). */
    public List<OutboxRelay> relays() {
        return List.copyOf(relays);
    }

    @Override
    @PreDestroy
    public void close() {
        relays.forEach(OutboxRelay::close);
        producer.close(Duration.ofSeconds(5));
    }
}
