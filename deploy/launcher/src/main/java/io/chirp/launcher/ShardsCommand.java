package io.chirp.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.chirp.engines.PostgresEngine;
import io.chirp.platform.database.move.ServiceInstances;
import io.chirp.platform.database.move.ShardMover;
import io.chirp.platform.sharding.LogicalShards;
import io.chirp.platform.sharding.ShardMap;

/**
 * {@code ./chirp shards map|move} against the running local cluster
 * (docs/adr/0008-online-shard-move.md).
 * <ul>
 *   <li>{@code map}: each sharded service's current map, as its instance reports it.</li>
 *   <li>{@code move <logical> <to-physical>}: moves one logical shard's rows of user-service, then
 *       of tweet-service ({@code --service} for one), with {@link ShardMover}, and prints each
 *       step's time and the fence time.</li>
 * </ul>
 * The local cluster has one instance per service, at its port ({@link ClusterPorts}); its
 * databases are {@code users} and {@code tweets} on {@code postgres-0} ({@code shard0}) and
 * {@code postgres-1} ({@code shard1}).
 */
final class ShardsCommand {

    static final List<String> SHARDED = List.of("user-service", "tweet-service");

    private final PrintStream out;

    ShardsCommand(PrintStream out) {
        this.out = out;
    }

    int run(List<String> args) {
        List<String> positional = new ArrayList<>();
        int offset = 0;
        List<String> services = SHARDED;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--port-offset" -> offset = number(value(args, ++i, "--port-offset"), "--port-offset");
                case "--service" -> {
                    String service = value(args, ++i, "--service");
                    if (!SHARDED.contains(service)) {
                        throw new IllegalArgumentException("--service is one of " + SHARDED + ", not " + service);
                    }
                    services = List.of(service);
                }
                default -> positional.add(args.get(i));
            }
        }
        ClusterPorts ports = ClusterPorts.resolve(System.getenv(), offset);
        if (positional.isEmpty()) {
            throw new IllegalArgumentException("usage: shards map | shards move <logical> <to-physical>");
        }
        return switch (positional.get(0)) {
            case "map" -> map(ports, services);
            case "move" -> {
                if (positional.size() != 3) {
                    throw new IllegalArgumentException("usage: shards move <logical 0-" + LogicalShards.MAX
                            + "> <to-physical, e.g. shard1> [--service S] [--port-offset N]");
                }
                int logical = number(positional.get(1), "<logical>");
                if (logical < 0 || logical > LogicalShards.MAX) {
                    throw new IllegalArgumentException("<logical> is within 0-" + LogicalShards.MAX + ", not " + logical);
                }
                yield move(ports, services, logical, positional.get(2));
            }
            default -> throw new IllegalArgumentException("unknown shards command: " + positional.get(0));
        };
    }

    private int map(ClusterPorts ports, List<String> services) {
        int status = 0;
        for (String service : services) {
            URI instance = instance(ports, service);
            try {
                ShardMap map = new ServiceInstances(List.of(instance), Duration.ofSeconds(10)).map(instance);
                out.println(service + " (" + instance + "): " + String.join(", ", map.toRangeEntries()));
            } catch (IOException | RuntimeException e) {
                System.err.println("error: " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }

    private int move(ClusterPorts ports, List<String> services, int logical, String to) {
        ShardMover mover = new ShardMover(ShardMover.Settings.DEFAULTS, out);
        List<ShardMover.Report> reports = new ArrayList<>();
        for (String service : services) {
            String database = LocalCluster.DATABASES.get(service);
            Map<String, String> urls = new LinkedHashMap<>();
            urls.put("shard0", "jdbc:postgresql://127.0.0.1:" + ports.of("postgres-0") + "/" + database);
            urls.put("shard1", "jdbc:postgresql://127.0.0.1:" + ports.of("postgres-1") + "/" + database);
            try {
                reports.add(mover.move(new ShardMover.Service(service, urls, PostgresEngine.USER, "",
                        List.of(instance(ports, service))), logical, to));
            } catch (ShardMover.MoveFailedException e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
        }
        out.println();
        for (ShardMover.Report report : reports) {
            out.printf(Locale.ROOT, "%s: logical shard %d %s -> %s, fence %.1f ms; %s%n", report.service(), logical,
                    report.from(), report.to(), report.fence().toNanos() / 1e6, report.timings());
        }
        return 0;
    }

    private static URI instance(ClusterPorts ports, String service) {
        return URI.create("http://127.0.0.1:" + ports.of(service));
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int number(String value, String what) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " needs a number, not " + value);
        }
    }
}
