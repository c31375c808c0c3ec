package io.chirp.e2e;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import io.chirp.launcher.LocalCluster;

/**
 * The one local cluster of the end-to-end test JVM, started by the first test class that asks
 * for it and stopped when the JVM exits, so every suite of this module (API flow, bad input,
 * security) shares one start-up. Ports are the defaults shifted by 12000 (all below the
 * ephemeral range, so no outgoing connection holds one) so a developer's
 * cluster may run beside it.
 * <p>
 * To iterate on a test against a cluster that is already running, pass
 * {@code -Dchirp.e2e.base-url=http://localhost:8080 -Dchirp.e2e.home=/path/to/.chirp}.
 * <p>
 * The cluster runs with a low per-token rate limit ({@value #PER_TOKEN_CAPACITY} requests,
 * refilled at {@value #PER_TOKEN_RATE}/s) so that the security suite can trip it; every other
 * client stays well below it per user.
 */
final class SharedCluster {

    static final int PORT_OFFSET = 12000;
    static final int PER_TOKEN_CAPACITY = 300;
    static final int PER_TOKEN_RATE = 150;

    private static URI gateway;
    private static Path logs;

    private SharedCluster() {
    }

    /** The gateway's base URL, starting the cluster on first use. */
    static synchronized URI gateway() {
        if (gateway == null) {
            String external = System.getProperty("chirp.e2e.base-url");
            if (external != null && !external.isBlank()) {
                gateway = URI.create(external);
                logs = Path.of(System.getProperty("chirp.e2e.home", ".chirp")).resolve("logs");
            } else {
                Path repo = Path.of("..").toAbsolutePath().normalize();
                Path home = Path.of("target", "cluster").toAbsolutePath();
                LocalCluster cluster = LocalCluster.withPortOffset(repo, home, PORT_OFFSET, System.out)
                        .withServiceEnvironment(Map.of(
                                "CHIRP_RATE_LIMIT_PER_TOKEN_CAPACITY", Integer.toString(PER_TOKEN_CAPACITY),
                                "CHIRP_RATE_LIMIT_PER_TOKEN_RATE", Integer.toString(PER_TOKEN_RATE)));
                cluster.start();
                Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "e2e-cluster-stop"));
                gateway = cluster.gatewayUrl();
                logs = cluster.logs();
            }
        }
        return gateway;
    }

    /** The log file of one process ({@code gateway}, {@code tweet-service}, …). */
    static synchronized Path log(String process) {
        gateway();
        return logs.resolve(process + ".log");
    }
}
