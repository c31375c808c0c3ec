package io.chirp.platform.database.move;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chirp.platform.database.ShardsProperties;
import io.chirp.platform.sharding.ShardMap;
import io.chirp.platform.sharding.ShardedDataSources;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/**
 * The safety net of a shard move: every {@code chirp.shards.reload-interval} (default 5 s) the
 * map becomes the configured one ({@code chirp.shards}) with the overrides persisted in
 * {@code shard_map_overrides} applied, so an instance the move tool could not reach routes the
 * moved shard to its new database within one interval. Nothing changes unless every database
 * answered: a missing database's overrides must not move a shard back.
 */
@Singleton
public class ShardMapReloader {

    private static final Logger LOG = LoggerFactory.getLogger(ShardMapReloader.class);

    private final ShardedDataSources shards;
    private final ShardsProperties properties;

    public ShardMapReloader(ShardedDataSources shards, ShardsProperties properties) {
        this.shards = shards;
        this.properties = properties;
    }

    /** Re-reads the persisted overrides and switches the map when it differs; never throws. */
    @Scheduled(fixedDelay = "${chirp.shards.reload-interval:5s}", initialDelay = "${chirp.shards.reload-interval:5s}")
    public void reload() {
        try {
            PersistedShardMap.Reading reading = PersistedShardMap.read(shards.all());
            if (!reading.unreadable().isEmpty()) {
                return;
            }
            ShardMap configured = ShardMap.parseEntries(properties.ranges(), properties.overridesOrEmpty(),
                    shards.map().physicalNames());
            ShardMap next = PersistedShardMap.apply(configured, reading.byLogical());
            if (!next.equals(shards.map())) {
                shards.switchMap(next);
                LOG.info("shard map reloaded from shard_map_overrides: {}", next);
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot reload the shard map; trying again later", e);
        }
    }
}
