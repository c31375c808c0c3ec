package io.chirp.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import io.chirp.engines.EngineStartException;
import io.chirp.engines.ProcessRegistry;

/**
 * {@code ./chirp up|down|status}: the local cluster on real engines, without Docker.
 * <ul>
 *   <li>{@code up [--fresh] [--no-replicas] [--port-offset N]}: starts everything, prints the base
 *       URL and a status table, and runs until Ctrl-C or SIGTERM, which stop everything in reverse
 *       order. {@code --fresh} wipes {@code .chirp/} first; otherwise data survives restarts.
 *       {@code --no-replicas} starts no PostgreSQL replicas (every read on the primaries).</li>
 *   <li>{@code down}: stops a running {@code up} (from another terminal) and any leftover process.</li>
 *   <li>{@code status}: each process, its pid, resident memory, and the gateway's health.</li>
 * </ul>
 * Exit codes: 0 done, 1 failed to start or stop, 2 bad usage.
 */
public final class ChirpLauncher {

    private final Path repo;
    private final Path home;
    private final PrintStream out;

    ChirpLauncher(Path repo, Path home, PrintStream out) {
        this.repo = repo;
        this.home = home;
        this.out = out;
    }

    public static void main(String[] args) {
        Path repo = Path.of(System.getProperty("chirp.repo", ".")).toAbsolutePath().normalize();
        Path home = Path.of(System.getProperty("chirp.home", repo.resolve(".chirp").toString())).toAbsolutePath();
        ChirpLauncher launcher = new ChirpLauncher(repo, home, System.out);
        System.exit(launcher.run(args));
    }

    int run(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        String command = rest.isEmpty() ? "help" : rest.remove(0);
        try {
            return switch (command) {
                case "up" -> up(rest);
                case "down" -> down();
                case "status" -> status();
                case "seed" -> seed(rest);
                case "reindex" -> reindex(rest);
                case "shards" -> new ShardsCommand(out).run(rest);
                case "help", "--help", "-h" -> help(0);
                default -> {
                    System.err.println("unknown command: " + command);
                    yield help(2);
                }
            };
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (EngineStartException e) {
            System.err.println("\nerror: " + e.getMessage());
            return 1;
        }
    }

    private int help(int code) {
        out.println("""
                usage: ./chirp <command>
                  up [--fresh] [--build] [--no-replicas] [--port-offset N]
                                 start the local cluster (real PostgreSQL x2 and a streaming replica of each, Redis, Kafka, Cassandra,
                                 Elasticsearch, then the five services and the gateway); Ctrl-C stops it
                      --fresh        wipe .chirp/ (all data) first
                      --build        rebuild with ./mvnw first (done by ./chirp when anything is missing)
                      --no-replicas  no PostgreSQL replicas: every read on the primaries
                      --port-offset  add N to every default port (CHIRP_PORT_<NAME> overrides one)
                  down           stop a running cluster and anything it left behind
                  status         show each process, its memory, and the health of the system
                  seed --graph FILE [--directed] [--tweets K] [--concurrency N] [--base-url URL]
                  seed --synthetic N [--celebrities C] [--follows F] [--tweets K] …
                                 load a social graph (edge list) through the public API:
                                 users user_<n>, follows along the edges, K tweets per user
                  reindex [--base-url URL]
                                 rebuild search's indices from Kafka and swap them in (search-service)
                  shards map [--port-offset N]
                                 print user- and tweet-service's shard maps (logical -> physical)
                  shards move <logical> <to-physical> [--service S] [--port-offset N]
                                 move one logical shard's rows to another database while Chirp serves
                                 (copy, catch up, brief fence, switch, verify); prints the fence time
                """);
        return code;
    }

    private int up(List<String> options) {
        boolean fresh = false;
        boolean replicas = true;
        int offset = 0;
        for (int i = 0; i < options.size(); i++) {
            switch (options.get(i)) {
                case "--fresh" -> fresh = true;
                case "--no-replicas" -> replicas = false;
                case "--build" -> { } // handled by the ./chirp script
                case "--port-offset" -> {
                    if (i + 1 >= options.size()) {
                        throw new IllegalArgumentException("--port-offset needs a number");
                    }
                    try {
                        offset = Integer.parseInt(options.get(++i));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port-offset needs a number, not " + options.get(i));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option for up: " + options.get(i));
            }
        }
        Optional<ProcessHandle> running = runningLauncher();
        if (running.isPresent()) {
            throw new IllegalArgumentException("Chirp is already running (launcher pid " + running.get().pid()
                    + "); ./chirp down first");
        }
        if (fresh) {
            deleteTree(home);
            out.println("wiped " + home);
        }
        ClusterPorts ports = ClusterPorts.resolve(System.getenv(), offset);
        writeGatewayPort(ports.of("gateway"));
        Progress progress = new Progress(out);
        LocalCluster cluster = new LocalCluster(repo, home, ports, progress);
        if (!replicas) {
            cluster.withoutReplicas();
        }
        writeLauncherPid();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            progress.say("stopping Chirp");
            cluster.stop();
            deleteQuietly(launcherPidFile());
            progress.say("stopped");
            stopped.countDown();
        }, "chirp-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            cluster.start();
        } catch (RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            deleteQuietly(launcherPidFile());
            throw e;
        }
        out.printf(Locale.ROOT, "%nChirp is up in %.1f s: http://localhost:%d%n%n", progress.elapsedSeconds(),
                ports.of("gateway"));
        printTable(cluster.pids());
        out.println("\nData: " + home + "   Logs: " + home.resolve("logs") + " and " + home.resolve("data/*/"));
        out.println("Ctrl-C (or ./chirp down) stops everything.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private int seed(List<String> options) {
        Path graph = null;
        int synthetic = 0;
        int celebrities = 3;
        int followsPerUser = 20;
        boolean directed = false;
        int tweets = 0;
        int concurrency = 8;
        URI base = URI.create("http://localhost:" + ClusterPorts.resolve(System.getenv(), 0).of("gateway"));
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            switch (option) {
                case "--directed" -> directed = true;
                case "--graph" -> graph = Path.of(value(options, ++i, option));
                case "--synthetic" -> synthetic = number(value(options, ++i, option), option);
                case "--celebrities" -> celebrities = number(value(options, ++i, option), option);
                case "--follows" -> followsPerUser = number(value(options, ++i, option), option);
                case "--tweets" -> tweets = number(value(options, ++i, option), option);
                case "--concurrency" -> concurrency = number(value(options, ++i, option), option);
                case "--base-url" -> base = URI.create(value(options, ++i, option));
                default -> throw new IllegalArgumentException("unknown option for seed: " + option);
            }
        }
        if ((graph == null) == (synthetic == 0)) {
            throw new IllegalArgumentException("seed needs one of --graph FILE (an edge list) or --synthetic N");
        }
        try {
            Seeder.Graph edges = graph != null ? Seeder.read(graph, directed)
                    : Seeder.synthetic(synthetic, celebrities, followsPerUser, 2026);
            out.printf(Locale.ROOT, "seeding %s: %d users, %d follows, %d tweets each, through %s%n",
                    graph != null ? graph : "a synthetic power-law graph (" + celebrities + " celebrities)",
                    edges.nodes().size(), edges.follows().size(), tweets, base);
            long start = System.nanoTime();
            new Seeder(base, out, concurrency).seed(edges, tweets);
            out.printf(Locale.ROOT, "seeded in %.1f s (password of every user: %s)%n", (System.nanoTime() - start) / 1e9,
                    Seeder.PASSWORD);
            return 0;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + graph + ": " + e.getMessage());
        } catch (Exception e) {
            System.err.println("\nerror: seeding failed: " + e.getMessage());
            return 1;
        }
    }

    /** Starts search-service's reindex (from what Kafka holds) and follows it to the end. */
    private int reindex(List<String> options) {
        URI base = URI.create("http://localhost:" + ClusterPorts.resolve(System.getenv(), 0).of("search-service"));
        for (int i = 0; i < options.size(); i++) {
            if (!options.get(i).equals("--base-url")) {
                throw new IllegalArgumentException("unknown option for reindex: " + options.get(i));
            }
            base = URI.create(value(options, ++i, "--base-url"));
        }
        URI uri = base.resolve("/internal/search/reindex");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> started = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (started.statusCode() != 202) {
                System.err.println("error: reindex not started (" + started.statusCode() + "): " + started.body());
                return 1;
            }
            out.println("reindex started");
            while (true) {
                String status = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (status.contains("\"state\":\"DONE\"")) {
                    out.println("reindex done: " + status);
                    return 0;
                }
                if (status.contains("\"state\":\"FAILED\"")) {
                    System.err.println("error: reindex failed: " + status);
                    return 1;
                }
                Thread.sleep(500);
            }
        } catch (IOException e) {
            System.err.println("error: search-service did not answer at " + uri + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static String value(List<String> options, int i, String option) {
        if (i >= options.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return options.get(i);
    }

    private static int number(String value, String option) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, not " + value);
        }
    }

    private int down() {
        Optional<ProcessHandle> launcher = runningLauncher();
        if (launcher.isPresent()) {
            out.println("stopping the launcher (pid " + launcher.get().pid() + ") and everything it started…");
            launcher.get().destroy();
            launcher.get().onExit().orTimeout(120, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        // anything left behind by a launcher that was killed with -9 (the watchdog normally reaps it)
        int leftovers = 0;
        for (Map.Entry<String, Long> entry : ProcessRegistry.read(home.resolve("run")).entrySet()) {
            Optional<ProcessHandle> process = ProcessHandle.of(entry.getValue()).filter(ProcessHandle::isAlive)
                    .filter(this::isOurs);
            if (process.isPresent()) {
                leftovers++;
                out.println("stopping leftover " + entry.getKey() + " (pid " + entry.getValue() + ")");
                process.get().destroy();
                try {
                    process.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    process.get().destroyForcibly();
                }
            }
        }
        deleteQuietly(home.resolve("run/pids"));
        out.println(launcher.isEmpty() && leftovers == 0 ? "Chirp is not running." : "Chirp is stopped.");
        return 0;
    }

    private int status() {
        Optional<ProcessHandle> launcher = runningLauncher();
        out.println(launcher.map(p -> "launcher: running (pid " + p.pid() + ")").orElse("launcher: not running"));
        Map<String, Long> pids = ProcessRegistry.read(home.resolve("run"));
        if (pids.isEmpty()) {
            out.println("no processes recorded under " + home.resolve("run"));
            return launcher.isPresent() ? 0 : 1;
        }
        printTable(pids);
        int gateway = recordedGatewayPort().orElse(ClusterPorts.resolve(System.getenv(), 0).of("gateway"));
        try {
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/health"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            out.println("\nGET http://localhost:" + gateway + "/health -> " + health.statusCode());
            out.println(health.body());
        } catch (IOException e) {
            out.println("\ngateway not answering on :" + gateway);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private void printTable(Map<String, Long> pids) {
        out.printf(Locale.ROOT, "  %-18s %8s %8s %10s%n", "process", "pid", "state", "rss (MiB)");
        pids.forEach((name, pid) -> {
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            out.printf(Locale.ROOT, "  %-18s %8d %8s %10s%n", name, pid, alive ? "up" : "gone",
                    alive ? residentMiB(pid) : "-");
        });
    }

    /** VmRSS of a process from /proc, in MiB (Linux); "?" elsewhere. */
    static String residentMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kib = Long.parseLong(line.replaceAll("\\D", ""));
                    return Long.toString(kib / 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process just exited
        }
        return "?";
    }

    private boolean isOurs(ProcessHandle process) {
        return process.info().arguments().map(args -> String.join(" ", args).contains(home.toString()))
                .orElse(true);
    }

    /** Where the last {@code up} put the gateway, so {@code status} finds it after a port offset. */
    private void writeGatewayPort(int port) {
        try {
            Files.createDirectories(home.resolve("run"));
            Files.writeString(home.resolve("run/gateway.port"), Integer.toString(port));
        } catch (IOException e) {
            throw new EngineStartException("cannot write " + home.resolve("run/gateway.port"), e);
        }
    }

    private Optional<Integer> recordedGatewayPort() {
        try {
            return Optional.of(Integer.parseInt(Files.readString(home.resolve("run/gateway.port")).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Path launcherPidFile() {
        return home.resolve("run/launcher.pid");
    }

    private Optional<ProcessHandle> runningLauncher() {
        Path file = launcherPidFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(file).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.pid() != ProcessHandle.current().pid());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void writeLauncherPid() {
        try {
            Files.createDirectories(launcherPidFile().getParent());
            Files.writeString(launcherPidFile(), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new EngineStartException("cannot write " + launcherPidFile() + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing to do
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new EngineStartException("cannot wipe " + dir + ": " + e.getMessage(), e);
        }
    }
}
