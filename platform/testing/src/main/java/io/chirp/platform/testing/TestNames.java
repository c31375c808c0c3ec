package io.chirp.platform.testing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Unique, engine-safe names for isolating tests that share one engine: lower-case letters,
 * digits and underscores only, so the same name is a valid PostgreSQL schema, Redis key
 * prefix, Kafka topic, Cassandra keyspace and Elasticsearch index.
 */
public final class TestNames {

    private TestNames() {
    }

    /** {@code prefix} (lower-cased) followed by {@code _} and 10 random base-36 characters. */
    public static String unique(String prefix) {
        StringBuilder name = new StringBuilder(prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_")).append('_');
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 10; i++) {
            name.append(Character.forDigit(random.nextInt(36), 36));
        }
        return name.toString();
    }
}
