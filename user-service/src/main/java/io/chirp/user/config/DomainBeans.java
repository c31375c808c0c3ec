package io.chirp.user.config;

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
     * One generator per process. Two processes issuing ids for the same logical shard in the
     * same millisecond could collide; the primary keys would refuse such a clash rather than
     * merge rows (see IdGenerator's Javadoc and docs/adr/0001-ids-and-shards.md).
     */
    @Singleton
    IdGenerator idGenerator(Clock clock) {
        return new IdGenerator(clock);
    }
}
