package io.chirp.engines.elasticsearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.reindex.ReindexPlugin;
import org.elasticsearch.index.mapper.MapperExtrasPlugin;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.transport.Netty4Plugin;

/**
 * Main class of the Elasticsearch 7.17 child JVM: one single-node cluster with the Netty
 * transport, mapper-extras and reindex modules (what the published artifacts allow; see
 * ENGINES.md), plus {@link ChirpAnalysisPlugin} for the analysis-common filters Chirp's indices
 * use. Arguments: {@code <home dir> <http port> <transport port>}. Stops on SIGTERM.
 */
public final class EsNode extends Node {

    private EsNode(Environment environment, List<Class<? extends Plugin>> plugins) {
        super(environment, plugins, true);
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        Files.createDirectories(home.resolve("config"));
        Settings settings = Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("node.name", "chirp-es")
                .put("cluster.name", "chirp")
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", args[1])
                .put("transport.port", args[2])
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("action.auto_create_index", true)
                .build();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
                settings, Map.of(), null, () -> "chirp-es");
        EsNode node = new EsNode(environment,
                List.of(Netty4Plugin.class, MapperExtrasPlugin.class, ReindexPlugin.class,
                        ChirpAnalysisPlugin.class));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "es-shutdown"));
        node.start();
        System.out.println("chirp-es started on 127.0.0.1:" + args[1]);
        stopped.await();
    }
}
