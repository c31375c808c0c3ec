package io.chirp.engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Apache Cassandra 5.0 in a child JVM ({@code CassandraDaemon}) on a JDK 11–17 found by
 * {@link JdkLocator} ({@code CASSANDRA_JAVA_HOME} first). The yaml holds the keys ENGINES.md
 * found sufficient; the JVM flags are those of Cassandra's {@code conf/jvm17-server.options}.
 * Ready when the native (CQL) port accepts connections, which Cassandra opens last.
 */
public final class CassandraEngine implements RunningEngine {

    /** The data center name of a single node with {@code SimpleSnitch}. */
    public static final String DATACENTER = "datacenter1";

    private static final List<String> EXPORTS = List.of(
            "java.base/jdk.internal.misc", "java.management.rmi/com.sun.jmx.remote.internal.rmi",
            "java.rmi/sun.rmi.registry", "java.rmi/sun.rmi.server", "java.sql/java.sql",
            "java.base/java.lang.ref", "jdk.unsupported/sun.misc",
            "jdk.compiler/com.sun.tools.javac.file", "jdk.attach/sun.tools.attach");
    private static final List<String> OPENS = List.of(
            "java.base/java.lang.module", "java.base/jdk.internal.loader", "java.base/jdk.internal.ref",
            "java.base/jdk.internal.reflect", "java.base/jdk.internal.math", "java.base/jdk.internal.module",
            "java.base/jdk.internal.util.jar", "jdk.management/com.sun.management.internal",
            "java.base/sun.nio.ch", "java.base/java.io", "java.base/java.lang.reflect",
            "jdk.compiler/com.sun.tools.javac", "java.base/java.lang", "java.base/java.util");

    private final ChildProcess process;
    private final int cqlPort;

    private CassandraEngine(ChildProcess process, int cqlPort) {
        this.process = process;
        this.cqlPort = cqlPort;
    }

    /**
     * @param unsafeSystem skip fsync of system tables (tests only: faster schema changes)
     */
    public static CassandraEngine start(Path dir, int cqlPort, int storagePort, boolean unsafeSystem,
                                        ProcessRegistry registry) {
        Ports.requireFree(cqlPort, "cassandra");
        Ports.requireFree(storagePort, "cassandra storage");
        Path java = JdkLocator.find("CASSANDRA_JAVA_HOME", 11, 17, "Cassandra 5.0");
        try {
            Path abs = dir.toAbsolutePath();
            Files.createDirectories(abs.resolve("tmp"));
            Path yaml = abs.resolve("cassandra.yaml");
            Files.writeString(yaml, String.join("\n",
                    "cluster_name: chirp",
                    "num_tokens: 1",
                    "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                    "endpoint_snitch: SimpleSnitch",
                    "seed_provider:",
                    "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                    "    parameters:",
                    "      - seeds: \"127.0.0.1:" + storagePort + "\"",
                    "listen_address: 127.0.0.1",
                    "rpc_address: 127.0.0.1",
                    "storage_port: " + storagePort,
                    "native_transport_port: " + cqlPort,
                    "start_native_transport: true",
                    "data_file_directories:",
                    "  - " + abs.resolve("data"),
                    "commitlog_directory: " + abs.resolve("commitlog"),
                    "saved_caches_directory: " + abs.resolve("saved_caches"),
                    "hints_directory: " + abs.resolve("hints"),
                    "cdc_raw_directory: " + abs.resolve("cdc_raw"),
                    "commitlog_sync: periodic",
                    "commitlog_sync_period: 10000ms",
                    "authenticator: AllowAllAuthenticator",
                    "authorizer: AllowAllAuthorizer",
                    "concurrent_reads: 8",
                    "concurrent_writes: 8",
                    "concurrent_counter_writes: 8",
                    "enable_user_defined_functions: false",
                    ""));
            Path logback = abs.resolve("logback.xml");
            Files.writeString(logback, """
                    <configuration>
                      <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>
                      </appender>
                      <root level="INFO"><appender-ref ref="STDOUT"/></root>
                    </configuration>
                    """);
            List<String> flags = new ArrayList<>(List.of(
                    "-Xms256m", "-Xmx256m", "-Xss256k", "-XX:+UseG1GC",
                    "-Djdk.attach.allowAttachSelf=true", "-Dio.netty.tryReflectionSetAccessible=true",
                    "-Dcassandra.config=" + yaml.toUri(),
                    "-Dcassandra.storagedir=" + abs,
                    "-Dcassandra-foreground=yes",
                    "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                    "-Dlogback.configurationFile=" + logback,
                    "-Dchirp.engine=cassandra"));
            if (unsafeSystem) {
                flags.add("-Dcassandra.unsafesystem=true");
            }
            EXPORTS.forEach(p -> flags.add("--add-exports=" + p + "=ALL-UNNAMED"));
            OPENS.forEach(p -> flags.add("--add-opens=" + p + "=ALL-UNNAMED"));
            ChildProcess process = ChildProcess.start("cassandra",
                    JavaChild.command(java, abs, flags, EngineClasspath.of("cassandra"),
                            "org.apache.cassandra.service.CassandraDaemon", List.of()),
                    abs, abs.resolve("cassandra.log"), Map.of(), registry);
            process.awaitReady(() -> Ports.isListening(cqlPort), Duration.ofSeconds(120));
            return new CassandraEngine(process, cqlPort);
        } catch (IOException e) {
            throw new EngineStartException("cassandra did not start: " + e.getMessage(), e);
        }
    }

    public int port() {
        return cqlPort;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String name() {
        return "cassandra";
    }

    @Override
    public String endpoint() {
        return "127.0.0.1:" + cqlPort;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
    }
}
