package io.chirp.engines;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Kafka in KRaft mode: one combined broker and controller in a child JVM
 * ({@code kafka.Kafka server.properties}), its log directory formatted on first start with
 * {@code kafka.tools.StorageTool}. Settings as in ENGINES.md (replication factors of 1, no
 * initial rebalance delay).
 */
public final class KafkaEngine implements RunningEngine {

    private final ChildProcess process;
    private final int port;

    private KafkaEngine(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static KafkaEngine start(Path dir, int port, int controllerPort, ProcessRegistry registry) {
        Ports.requireFree(port, "kafka");
        Ports.requireFree(controllerPort, "kafka controller");
        try {
            Files.createDirectories(dir.resolve("tmp"));
            Path logs = dir.resolve("data");
            Path config = dir.resolve("server.properties");
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + logs.toAbsolutePath(),
                    "num.partitions=3",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=10",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "transaction.state.log.num.partitions=4",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=true",
                    "log.retention.hours=168",
                    ""));
            Path log4j = dir.resolve("log4j.properties");
            Files.writeString(log4j, String.join("\n",
                    "log4j.rootLogger=INFO, stdout",
                    "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
                    "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
                    "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n",
                    "log4j.logger.kafka=INFO",
                    "log4j.logger.org.apache.kafka=INFO",
                    "log4j.logger.state.change.logger=WARN",
                    ""));
            String classpath = EngineClasspath.of("kafka");
            List<String> flags = List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                    "-Dlog4j.configuration=" + log4j.toUri(), "-Dchirp.engine=kafka");
            Path log = dir.resolve("kafka.log");
            if (!Files.exists(logs.resolve("meta.properties"))) {
                ChildProcess format = ChildProcess.start("kafka-format",
                        JavaChild.command(JavaChild.currentJava(), dir, flags, classpath, "kafka.tools.StorageTool",
                                // "=" form: a base64url id may start with '-', which would read as an option
                                List.of("format", "--cluster-id=" + clusterId(), "--config=" + config.toAbsolutePath())),
                        dir, log, Map.of(), registry);
                awaitExit(format, Duration.ofSeconds(60));
            }
            ChildProcess process = ChildProcess.start("kafka",
                    JavaChild.command(JavaChild.currentJava(), dir, flags, classpath, "kafka.Kafka",
                            List.of(config.toAbsolutePath().toString())),
                    dir, log, Map.of(), registry);
            try (ReadinessProbe probe = new ReadinessProbe(port)) {
                process.awaitReady(probe::ready, Duration.ofSeconds(90));
            }
            return new KafkaEngine(process, port);
        } catch (IOException e) {
            throw new EngineStartException("kafka did not start: " + e.getMessage(), e);
        }
    }

    private static void awaitExit(ChildProcess format, Duration timeout) {
        int code = format.waitForExit(timeout);
        if (code != 0) {
            throw new EngineStartException("kafka storage format failed with code " + code
                    + ". Last lines of " + format.logFile() + ":\n" + format.logTail(30));
        }
    }

    /** A random 22-character cluster id (a base64url UUID, as {@code kafka-storage random-uuid}). */
    static String clusterId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** Ready when the port listens and the cluster answers a metadata request. */
    private static final class ReadinessProbe implements AutoCloseable {
        private final int port;
        private Admin admin;

        ReadinessProbe(int port) {
            this.port = port;
        }

        boolean ready() {
            if (!Ports.isListening(port)) {
                return false;
            }
            if (admin == null) {
                Properties props = new Properties();
                props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
                props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
                props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
                admin = Admin.create(props);
            }
            try {
                return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
            } catch (Exception e) {
                return false;
            }
        }

        @Override
        public void close() {
            if (admin != null) {
                admin.close(Duration.ofSeconds(2));
            }
        }
    }

    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String endpoint() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }
}
