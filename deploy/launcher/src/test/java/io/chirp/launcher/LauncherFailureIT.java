package io.chirp.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's failure paths, run as a real {@code ./chirp up} child process against real
 * engines: each failure must name its cause and leave no process behind.
 */
class LauncherFailureIT {

    /**
     * Away from the default ports, so a developer's running cluster does not interfere, and
     * below the ephemeral range (32768+) with every port (19300 + 10000 at most), so an outgoing
     * connection cannot hold one of them.
     */
    private static final int OFFSET = 10000;

    @TempDir
    Path home;

    @TempDir
    Path repo;

    @Test
    void aTakenPortIsNamedAndNothingIsStarted() throws Exception {
        int redisPort = ClusterPorts.DEFAULTS.get("redis") + OFFSET;
        try (ServerSocket squatter = new ServerSocket(redisPort, 1, InetAddress.getLoopbackAddress())) {
            Result result = up();
            assertEquals(1, result.exitCode(), result.output());
            assertTrue(result.output().contains("Port " + redisPort + " (redis) is already in use"), result.output());
        }
        assertNoProcessLeft();
    }

    @Test
    void aStoreThatExitsEarlyIsReportedWithItsLogAndEverythingElseIsStopped() throws Exception {
        // A Kafka log directory with a corrupt meta.properties: the broker refuses it and exits.
        Path meta = home.resolve("data/kafka/data/meta.properties");
        Files.createDirectories(meta.getParent());
        Files.writeString(meta, "version=42\nnode.id=not-a-number\n");
        Result result = up();
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("kafka exited with code"), result.output());
        assertTrue(result.output().contains("Last lines of " + home.resolve("data/kafka/kafka.log")), result.output());
        assertTrue(result.output().contains("stopping postgres-0"), "the engines that did start are stopped: "
                + result.output());
        assertNoProcessLeft();
    }

    private Result up() throws IOException, InterruptedException {
        // The services are never reached in these tests; the launcher only checks they are built.
        for (ServiceSpec service : ServiceSpec.ALL) {
            Path classpath = repo.resolve(service.module()).resolve("target/classpath.txt");
            Files.createDirectories(classpath.getParent());
            Files.writeString(classpath, "");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dchirp.repo=" + repo, "-Dchirp.home=" + home,
                "-cp", System.getProperty("java.class.path"), ChirpLauncher.class.getName(),
                "up", "--port-offset", Integer.toString(OFFSET)));
        Path output = home.resolveSibling(home.getFileName() + ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher hung:\n" + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /**
     * Soon no process whose command line mentions this test's cluster home is alive (the
     * launcher's watchdog notices within a second that the launcher is gone, then exits).
     */
    private void assertNoProcessLeft() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(List.of(), processesOfHome(),
                "processes left behind"));
    }

    private List<String> processesOfHome() throws IOException {
        List<String> left = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (cmdline.contains(home.toString())) {
                        left.add(proc.getFileName() + ": " + cmdline);
                    }
                } catch (IOException e) {
                    // the process exited while we looked
                }
            }
        }
        return left;
    }

    private record Result(int exitCode, String output) {
    }
}
