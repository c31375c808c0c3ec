package io.chirp.tweet.config;

import java.time.Clock;

import io.chirp.platform.sharding.IdGenerator;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Plain domain collaborators as beans. */
@Factory
class DomainBeans {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * One generator per process. Two processes issuing tweet ids for the same logical shard in
     * the same millisecond could collide; the primary key refuses such a clash rather than
     * merging rows (see IdGenerator's Javadoc and docs/adr/0001-ids-and-shards.md).
     */
    @Singleton
    IdGenerator idGenerator(Clock clock) {
        return new IdGenerator(clock);
    }
}
