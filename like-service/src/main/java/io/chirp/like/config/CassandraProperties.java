package io.chirp.like.config;

import java.time.Duration;
import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;

/**
 * How like-service reaches Cassandra ({@code chirp.cassandra.*}).
 *
 * @param contactPoints   {@code host:port} of one or more nodes
 * @param localDatacenter the data center the driver treats as local
 * @param keyspace        the service's keyspace, created on start if missing
 * @param replication     the keyspace's replication as {@code <class>;<option>=<value>;…}, e.g.
 *                        {@code SimpleStrategy;replication_factor=1} or
 *                        {@code NetworkTopologyStrategy;dc1=3;dc2=3}
 * @param consistency     the consistency level of reads and writes (ONE locally, LOCAL_QUORUM in production)
 * @param requestTimeout  per-request timeout; the first DDL on a fresh node takes over 2 s
 */
@ConfigurationProperties("chirp.cassandra")
public record CassandraProperties(
        @NotEmpty List<String> contactPoints,
        @NotBlank String localDatacenter,
        @Pattern(regexp = "[a-z][a-z0-9_]{0,47}") String keyspace,
        @Pattern(regexp = "[A-Za-z.]+(;[A-Za-z0-9_]+=[0-9]+)+") String replication,
        @NotBlank String consistency,
        Duration requestTimeout) {

    /** The replication setting as a CQL map literal; safe to splice, as its pattern allows no quotes. */
    public String replicationCql() {
        String[] parts = replication.split(";");
        StringBuilder cql = new StringBuilder("{'class': '").append(parts[0]).append('\'');
        for (int i = 1; i < parts.length; i++) {
            String[] option = parts[i].split("=");
            cql.append(", '").append(option[0]).append("': ").append(option[1]);
        }
        return cql.append('}').toString();
    }
}
