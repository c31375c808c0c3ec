package io.chirp.engines;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Elasticsearch 7.17 as an embedded node in a child JVM (main class
 * {@code io.chirp.engines.elasticsearch.EsNode} of {@code deploy/engines-elasticsearch}), on a
 * JDK 11–17. Ready when the cluster health reaches yellow. The server jar's licence (Elastic
 * License/SSPL) keeps it here, in local tooling, and never on a service's classpath.
 */
public final class ElasticsearchEngine implements RunningEngine {

    private final ChildProcess process;
    private final int httpPort;

    private ElasticsearchEngine(ChildProcess process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    public static ElasticsearchEngine start(Path dir, int httpPort, int transportPort, ProcessRegistry registry) {
        Ports.requireFree(httpPort, "elasticsearch");
        Ports.requireFree(transportPort, "elasticsearch transport");
        Path java = JdkLocator.find("ES_JAVA_HOME", 11, 17, "Elasticsearch 7.17");
        try {
            Path abs = dir.toAbsolutePath();
            Files.createDirectories(abs.resolve("tmp"));
            List<String> flags = List.of("-Xms256m", "-Xmx256m", "-XX:+UseSerialGC",
                    "-Dlog4j2.disable.jmx=true", "-Des.enforce.bootstrap.checks=false",
                    "-Dchirp.engine=elasticsearch");
            ChildProcess process = ChildProcess.start("elasticsearch",
                    JavaChild.command(java, abs, flags, EngineClasspath.of("elasticsearch"),
                            "io.chirp.engines.elasticsearch.EsNode",
                            List.of(abs.resolve("home").toString(), Integer.toString(httpPort),
                                    Integer.toString(transportPort))),
                    abs, abs.resolve("elasticsearch.log"), Map.of(), registry);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
            process.awaitReady(() -> healthy(client, httpPort), Duration.ofSeconds(120));
            return new ElasticsearchEngine(process, httpPort);
        } catch (IOException e) {
            throw new EngineStartException("elasticsearch did not start: " + e.getMessage(), e);
        }
    }

    private static boolean healthy(HttpClient client, int port) {
        if (!Ports.isListening(port)) {
            return false;
        }
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + port + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int port() {
        return httpPort;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String name() {
        return "elasticsearch";
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + httpPort;
    }

    @Override
    public void close() {
        process.close();
    }
}
