package io.chirp.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import io.chirp.engines.CassandraEngine;
import io.chirp.engines.ChildProcess;
import io.chirp.engines.ElasticsearchEngine;
import io.chirp.engines.EngineStartException;
import io.chirp.engines.KafkaEngine;
import io.chirp.engines.Ports;
import io.chirp.engines.PostgresEngine;
import io.chirp.engines.ProcessRegistry;
import io.chirp.engines.RedisEngine;
import io.chirp.engines.RunningEngine;
import io.chirp.engines.Watchdog;
import io.chirp.platform.events.Topics;

/**
 * The whole local cluster: the engines (in parallel), then Kafka topics, then the five
 * services and the gateway (in parallel), each awaited until its {@code /health} is UP.
 * {@link #stop()} stops everything in reverse order. A failure at any point stops what was
 * started and surfaces the cause with the failing process's log tail.
 */
public final class LocalCluster {

    private final Path repo;
    private final Path home;
    private final ClusterPorts ports;
    private final Progress progress;
    private final ProcessRegistry registry;
    private final List<RunningEngine> engines = Collections.synchronizedList(new ArrayList<>());
    private final List<ChildProcess> services = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> pids = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, String> extraEnvironment = new LinkedHashMap<>();
    private boolean replicas = true;
    private final Map<String, Supplier<RunningEngine>> engineStarts = new LinkedHashMap<>();

    LocalCluster(Path repo, Path home, ClusterPorts ports, Progress progress) {
        this.repo = repo;
        this.home = home;
        this.ports = ports;
        this.progress = progress;
        this.registry = new ProcessRegistry(home.resolve("run"));
    }

    /**
     * A cluster whose every default port is shifted by {@code portOffset} (for tests that run
     * beside a developer's cluster), with progress lines on {@code out}.
     */
    public static LocalCluster withPortOffset(Path repo, Path home, int portOffset, java.io.PrintStream out) {
        return new LocalCluster(repo, home, ClusterPorts.resolve(Map.of(), portOffset), new Progress(out));
    }

    /**
     * Adds {@code CHIRP_*} settings for every service and the gateway (e.g. lower rate limits
     * for a test), on top of the addresses the cluster sets; call before {@link #start()}. The
     * launcher's own environment is inherited as well, so {@code CHIRP_X=… ./chirp up} works too.
     */
    public LocalCluster withServiceEnvironment(Map<String, String> settings) {
        extraEnvironment.putAll(settings);
        return this;
    }

    /**
     * Starts no streaming replicas: the sharded services get blank replica URLs and read every row
     * from the primaries (to compare, or to save two processes); call before {@link #start()}.
     */
    public LocalCluster withoutReplicas() {
        replicas = false;
        return this;
    }

    /** Where the processes write their logs: {@code <home>/logs/<process>.log}. */
    public Path logs() {
        return home.resolve("logs");
    }

    /** The one base URL: the gateway. */
    public URI gatewayUrl() {
        return URI.create("http://127.0.0.1:" + ports.of("gateway"));
    }

    /** A service's (or the gateway's) own base URL, for its {@code /health} and {@code /prometheus}. */
    public URI serviceUrl(String service) {
        return URI.create("http://127.0.0.1:" + ports.of(service));
    }

    /** The Kafka bootstrap servers, {@code host:port}. */
    public String kafkaBootstrapServers() {
        return kafkaBootstrap();
    }

    /** Where the cluster keeps its data, logs and pids. */
    public Path home() {
        return home;
    }

    /** Starts everything; on failure stops what was started and rethrows. */
    public void start() {
        preflight();
        Watchdog.guard(home.resolve("run"));
        try {
            startEngines();
            createTopics();
            startServices();
        } catch (RuntimeException e) {
            progress.say("start failed; stopping what was started");
            stop();
            throw e;
        }
    }

    /** Fails before anything starts when a port is taken or a service is not built. */
    private void preflight() {
        ports.ports().forEach((name, port) -> Ports.requireFree(port, name));
        for (ServiceSpec service : ServiceSpec.ALL) {
            Path classpath = repo.resolve(service.module()).resolve("target/classpath.txt");
            if (!Files.exists(classpath)) {
                throw new EngineStartException(service.name() + " is not built (" + classpath
                        + " is missing): run ./mvnw -DskipTests package, or ./chirp up --build");
            }
        }
    }

    private void startEngines() {
        Path data = home.resolve("data");
        engineStarts.put("postgres-0", () -> PostgresEngine.start("postgres-0", data.resolve("postgres-0"),
                ports.of("postgres-0"), registry));
        engineStarts.put("postgres-1", () -> PostgresEngine.start("postgres-1", data.resolve("postgres-1"),
                ports.of("postgres-1"), registry));
        engineStarts.put("redis", () -> RedisEngine.start(data.resolve("redis"), ports.of("redis"), true, registry));
        engineStarts.put("kafka", () -> KafkaEngine.start(data.resolve("kafka"), ports.of("kafka"),
                ports.of("kafka-controller"), registry));
        engineStarts.put("cassandra", () -> CassandraEngine.start(data.resolve("cassandra"), ports.of("cassandra"),
                ports.of("cassandra-storage"), false, registry));
        engineStarts.put("elasticsearch", () -> ElasticsearchEngine.start(data.resolve("elasticsearch"),
                ports.of("elasticsearch"), ports.of("elasticsearch-transport"), registry));
        Map<String, CompletableFuture<RunningEngine>> starts = new LinkedHashMap<>();
        engineStarts.forEach((name, start) -> starts.put(name, engine(name, start)));
        awaitAll(List.copyOf(starts.values()));
        // then a streaming replica of each shard, copied from its running primary
        List<CompletableFuture<RunningEngine>> replicaStarts = new ArrayList<>();
        for (String primary : replicas ? List.of("postgres-0", "postgres-1") : List.<String>of()) {
            String name = primary + "-replica";
            PostgresEngine running = (PostgresEngine) starts.get(primary).join();
            Supplier<RunningEngine> start = () -> PostgresEngine.startReplica(name, data.resolve(name), ports.of(name),
                    running, registry);
            engineStarts.put(name, start);
            replicaStarts.add(engine(name, start));
        }
        awaitAll(replicaStarts);
    }

    /** The database each sharded service owns on every physical shard. */
    static final Map<String, String> DATABASES = Map.of("user-service", "users", "tweet-service", "tweets");

    private CompletableFuture<RunningEngine> engine(String name, Supplier<RunningEngine> start) {
        return CompletableFuture.supplyAsync(() -> {
            progress.say("starting " + name);
            RunningEngine engine = start.get();
            if (engine instanceof PostgresEngine postgres) {
                DATABASES.values().forEach(postgres::createDatabaseIfMissing);
            }
            engines.add(engine);
            pids.put(name, engine.pid());
            progress.say(name + " ready at " + engine.endpoint());
            return engine;
        });
    }

    /** Waits for every start; when one fails, still waits for the rest so they can be stopped. */
    private static <T> void awaitAll(List<CompletableFuture<T>> starts) {
        RuntimeException failure = null;
        for (CompletableFuture<T> start : starts) {
            try {
                start.join();
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new EngineStartException(
                            e.getCause().toString(), e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void createTopics() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap());
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.all().stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, Topics.PARTITIONS, (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            progress.say("kafka topics ready (" + Topics.all().size() + ", " + missing.size() + " created)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineStartException("interrupted while creating topics", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new EngineStartException("could not create Kafka topics: " + e.getMessage(), e);
        }
    }

    private void startServices() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        List<CompletableFuture<ChildProcess>> starts = new ArrayList<>();
        for (ServiceSpec service : ServiceSpec.ALL) {
            starts.add(CompletableFuture.supplyAsync(() -> startService(service, http)));
        }
        awaitAll(starts);
    }

    private ChildProcess startService(ServiceSpec service, HttpClient http) {
        progress.say("starting " + service.name());
        Path target = repo.resolve(service.module()).resolve("target");
        String classpath;
        try {
            String jar;
            try (var files = Files.list(target)) {
                jar = files.map(Path::toString).filter(f -> f.endsWith(".jar") && !f.endsWith("-tests.jar"))
                        .findFirst().orElseThrow(() -> new EngineStartException(
                                service.name() + " has no jar in " + target + ": run ./chirp up --build"));
            }
            classpath = jar + java.io.File.pathSeparator + Files.readString(target.resolve("classpath.txt")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = ports.of(service.name());
        List<String> command = new ArrayList<>();
        // the services' JDK: CHIRP_SERVICE_JAVA_HOME (e.g. a JDK 25 to compare), else the launcher's
        String javaHome = System.getenv().getOrDefault("CHIRP_SERVICE_JAVA_HOME", System.getProperty("java.home"));
        command.add(Path.of(javaHome, "bin", "java").toString());
        command.addAll(List.of(System.getenv().getOrDefault("CHIRP_SERVICE_JAVA_OPTS",
                "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError").trim().split("\\s+")));
        command.addAll(List.of("-Dchirp.home=" + home, "-cp", classpath, service.mainClass()));
        ChildProcess process = ChildProcess.start(service.name(), command, home,
                home.resolve("logs").resolve(service.name() + ".log"), serviceEnvironment(service.name(), port), registry);
        services.add(process);
        pids.put(service.name(), process.pid());
        URI health = URI.create("http://127.0.0.1:" + port + "/health");
        process.awaitReady(() -> isUp(http, health), Duration.ofSeconds(180));
        progress.say(service.name() + " ready at http://127.0.0.1:" + port);
        return process;
    }

    private static boolean isUp(HttpClient http, URI health) {
        try {
            return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The environment every service gets: where each store is, and where the others are. */
    private Map<String, String> serviceEnvironment(String service, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CHIRP_PORT", Integer.toString(port));
        String database = DATABASES.getOrDefault(service, PostgresEngine.DATABASE);
        env.put("CHIRP_SHARD0_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + ports.of("postgres-0") + "/" + database);
        env.put("CHIRP_SHARD1_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + ports.of("postgres-1") + "/" + database);
        env.put("CHIRP_SHARD0_REPLICA_JDBC_URL",
                replicas ? "jdbc:postgresql://127.0.0.1:" + ports.of("postgres-0-replica") + "/" + database : "");
        env.put("CHIRP_SHARD1_REPLICA_JDBC_URL",
                replicas ? "jdbc:postgresql://127.0.0.1:" + ports.of("postgres-1-replica") + "/" + database : "");
        env.put("CHIRP_DB_USER", PostgresEngine.USER);
        env.put("CHIRP_DB_PASSWORD", "");
        env.put("CHIRP_REDIS_URI", "redis://127.0.0.1:" + ports.of("redis"));
        env.put("CHIRP_KAFKA_BOOTSTRAP", kafkaBootstrap());
        env.put("CHIRP_CASSANDRA_CONTACT_POINT", "127.0.0.1:" + ports.of("cassandra"));
        env.put("CHIRP_CASSANDRA_DATACENTER", CassandraEngine.DATACENTER);
        env.put("CHIRP_ELASTICSEARCH_URL", "http://127.0.0.1:" + ports.of("elasticsearch"));
        // user-service signs tokens with it (generated on first start); the others read its JWKS
        env.put("CHIRP_JWT_KEY_FILE", home.resolve("keys/jwt-rsa.pem").toString());
        for (ServiceSpec other : ServiceSpec.ALL) {
            env.put("CHIRP_" + other.name().toUpperCase().replace('-', '_') + "_URL",
                    "http://127.0.0.1:" + ports.of(other.name()));
        }
        env.putAll(extraEnvironment);
        return env;
    }

    private String kafkaBootstrap() {
        return "127.0.0.1:" + ports.of("kafka");
    }

    /** name → pid of every process started, in start order. */
    public Map<String, Long> pids() {
        synchronized (pids) {
            return new LinkedHashMap<>(pids);
        }
    }

    /**
     * Kills one process of the running cluster with SIGKILL (a crash: no shutdown hooks, no
     * flush), by its name in {@link #pids()}; {@link #restart(String)} brings it back on the same
     * port and data. For the fault-injection suite.
     *
     * @throws IllegalArgumentException when no running process has that name
     */
    public synchronized void kill(String name) {
        progress.say("killing " + name + " (SIGKILL)");
        Object process = running(name);
        if (process instanceof ChildProcess service) {
            service.kill();
            services.remove(service);
        } else {
            ((RunningEngine) process).kill();
            engines.remove(process);
        }
    }

    /**
     * Stops one process of the running cluster gracefully (SIGTERM, as {@code ./chirp down}
     * does), keeping its data; {@link #restart(String)} brings it back.
     *
     * @throws IllegalArgumentException when no running process has that name
     */
    public synchronized void stop(String name) {
        progress.say("stopping " + name);
        Object process = running(name);
        if (process instanceof ChildProcess service) {
            service.stop(Duration.ofSeconds(20));
            services.remove(service);
        } else {
            ((RunningEngine) process).close();
            engines.remove(process);
        }
    }

    /**
     * Starts again a process that {@link #kill(String)} or {@link #stop(String)} ended, on its
     * port and data, and waits until it is ready (an engine answers, a service's
     * {@code /health} is UP).
     *
     * @throws IllegalArgumentException when the name is unknown or the process is running
     * @throws EngineStartException when it does not come up, with its log tail
     */
    public void restart(String name) {
        synchronized (this) {
            if (isRunning(name)) {
                throw new IllegalArgumentException(name + " is running");
            }
        }
        Supplier<RunningEngine> engineStart = engineStarts.get(name);
        if (engineStart != null) {
            engine(name, engineStart).join();
            return;
        }
        ServiceSpec service = ServiceSpec.ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no process named " + name));
        startService(service, HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build());
    }

    private boolean isRunning(String name) {
        synchronized (services) {
            if (services.stream().anyMatch(s -> s.name().equals(name))) {
                return true;
            }
        }
        synchronized (engines) {
            return engines.stream().anyMatch(e -> e.name().equals(name));
        }
    }

    private Object running(String name) {
        synchronized (services) {
            for (ChildProcess service : services) {
                if (service.name().equals(name)) {
                    return service;
                }
            }
        }
        synchronized (engines) {
            for (RunningEngine engine : engines) {
                if (engine.name().equals(name)) {
                    return engine;
                }
            }
        }
        throw new IllegalArgumentException("no running process named " + name);
    }

    /** Stops services (reverse order), then engines (reverse order). Idempotent. */
    public synchronized void stop() {
        List<ChildProcess> runningServices = new ArrayList<>(services);
        Collections.reverse(runningServices);
        for (ChildProcess service : runningServices) {
            progress.say("stopping " + service.name());
            service.stop(Duration.ofSeconds(20));
        }
        services.clear();
        List<RunningEngine> runningEngines = new ArrayList<>(engines);
        Collections.reverse(runningEngines);
        for (RunningEngine engine : runningEngines) {
            progress.say("stopping " + engine.name());
            engine.close();
        }
        engines.clear();
    }
}
