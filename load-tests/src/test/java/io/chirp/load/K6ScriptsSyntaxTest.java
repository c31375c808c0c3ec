package io.chirp.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The k6 scripts cannot run here (no k6 binary), so `./mvnw verify` at least parses them: each
 * file under load-tests/k6 goes through {@code node --check} as an ES module (copied to a temporary
 * {@code .mjs}, as k6 scripts use {@code import}/{@code export}). Fails when node is missing.
 */
class K6ScriptsSyntaxTest {

    private static final Path K6 = Path.of(System.getProperty("chirp.k6.dir", "k6"));

    @TempDir
    Path temp;

    @Test
    void everyScenarioHasAK6Script() throws IOException {
        Set<String> scripts = scripts().stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        for (String scenario : List.of("social-network-mix.js", "home-timeline-read.js", "compose-fanout.js",
                "celebrity-post.js", "like-storm.js", "search.js")) {
            assertTrue(scripts.contains(scenario), "load-tests/k6/" + scenario + " is missing; found " + scripts);
        }
    }

    @Test
    void everyK6ScriptParsesAsAnEsModule() throws Exception {
        for (Path script : scripts()) {
            Result result = nodeCheck(Files.readString(script));
            assertEquals(0, result.exit(), () -> "node --check " + K6.relativize(script) + " failed:\n" + result.output());
        }
    }

    @Test
    void theCheckRejectsASyntaxError() throws Exception {
        Result result = nodeCheck("import http from 'k6/http';\nexport default function () { http.get('x' }\n");
        assertNotEquals(0, result.exit(), "node --check accepted a broken script");
        assertTrue(result.output().contains("SyntaxError"), result.output());
    }

    private List<Path> scripts() throws IOException {
        assertTrue(Files.isDirectory(K6), K6.toAbsolutePath() + " is not a directory");
        try (Stream<Path> files = Files.walk(K6)) {
            List<Path> scripts = files.filter(p -> p.toString().endsWith(".js")).sorted().toList();
            assertTrue(scripts.size() >= 6, "expected the k6 scripts in " + K6.toAbsolutePath() + ", found " + scripts);
            return scripts;
        }
    }

    private record Result(int exit, String output) {
    }

    /** node --check on a copy named .mjs (an ES module); an IOException when node is not installed. */
    private Result nodeCheck(String source) throws IOException, InterruptedException {
        Path copy = Files.createTempFile(temp, "k6-", ".mjs");
        Files.writeString(copy, source, StandardCharsets.UTF_8);
        Process node;
        try {
            node = new ProcessBuilder("node", "--check", copy.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("node is needed to syntax-check the k6 scripts (apt-get install nodejs): " + e.getMessage(), e);
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "node --check timed out");
        return new Result(node.exitValue(), output);
    }
}
