package io.chirp.tweet.config;

import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.database.OutboxRelays;
import io.chirp.platform.messaging.Inbox;
import io.chirp.platform.sharding.ShardedDataSources;
import io.chirp.tweet.store.TweetPartitions;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/**
 * Recurring housekeeping on every physical shard: monthly partitions of {@code tweets} created
 * ahead of time, inbox rows older than the consumed topics' retention purged, and published
 * outbox rows purged. All are idempotent, so every instance may run them.
 */
@Singleton
class Maintenance {

    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

    private final TweetPartitions partitions;
    private final ShardedDataSources shards;
    private final OutboxRelays relays;
    private final Clock clock;
    private final int monthsAhead;
    private final Duration inboxRetention;
    private final Duration outboxRetention;

    Maintenance(TweetPartitions partitions, ShardedDataSources shards, OutboxRelays relays, Clock clock,
                @Value("${chirp.tweets.partitions-ahead:3}") int monthsAhead,
                @Value("${chirp.inbox.retention:8d}") Duration inboxRetention,
                @Value("${chirp.outbox.retention:1d}") Duration outboxRetention) {
        this.partitions = partitions;
        this.shards = shards;
        this.relays = relays;
        this.clock = clock;
        this.monthsAhead = monthsAhead;
        this.inboxRetention = inboxRetention;
        this.outboxRetention = outboxRetention;
    }

    @Scheduled(fixedDelay = "${chirp.tweets.partition-check-interval:1h}", initialDelay = "1s")
    void createPartitionsAhead() {
        try {
            LOG.debug("tweets partitions present: {}", partitions.ensure(YearMonth.now(clock), monthsAhead));
        } catch (RuntimeException e) {
            // V2 made this month's and the next; there is time to try again on the next run
            LOG.warn("could not create the partitions of the next {} months; trying again later", monthsAhead, e);
        }
    }

    @Scheduled(fixedDelay = "${chirp.inbox.purge-interval:1h}", initialDelay = "1m")
    void purge() {
        try {
            for (DataSource db : shards.all().values()) {
                Inbox.purge(db, inboxRetention);
            }
            relays.relays().forEach(relay -> relay.purgeSent(outboxRetention));
        } catch (RuntimeException e) {
            LOG.warn("could not purge the inbox or the outbox; trying again later", e);
        }
    }
}
