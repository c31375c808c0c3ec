package io.chirp.platform.sharding;

import java.util.List;
import java.util.Map;

/** Shard maps the tests share. */
final class ShardMapFixture {

    static final List<String> TWO_DATABASES = List.of("shard0", "shard1");

    private ShardMapFixture() {
    }

    /** Logical shards 0-4095 on shard0, 4096-8191 on shard1. */
    static ShardMap twoHalves() {
        return ShardMap.parse(Map.of("0-4095", "shard0", "4096-8191", "shard1"), Map.of(),
                TWO_DATABASES);
    }
}
