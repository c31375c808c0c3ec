package io.chirp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The repository under test: its files, the six applications, and the tools run over them. */
final class Repo {

    static final Path ROOT = locate();
    static final Path COMPOSE = ROOT.resolve("deploy/docker-compose.yml");

    private Repo() {
    }

    private static Path locate() {
        String configured = System.getProperty("chirp.repo");
        if (configured != null && Files.exists(Path.of(configured, "deploy/docker-compose.yml"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("chirp")) && Files.exists(dir.resolve("deploy/docker-compose.yml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String relative) {
        return read(ROOT.resolve(relative));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) new Yaml(new LoaderOptions()).load(text);
    }

    static List<Object> yamlDocuments(String text) {
        List<Object> documents = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(text)) {
            if (document != null) {
                documents.add(document);
            }
        }
        return documents;
    }

    /**
     * The modules of the root pom whose parent is chirp-service-parent: the gateway and the
     * five services (module directory = artifactId).
     */
    static List<String> applications() {
        List<String> apps = new ArrayList<>();
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(read("pom.xml"));
        while (module.find()) {
            Path pom = ROOT.resolve(module.group(1)).resolve("pom.xml");
            Matcher parent = Pattern.compile("<parent>([\\s\\S]*?)</parent>").matcher(Files.exists(pom) ? read(pom) : "");
            if (parent.find() && parent.group(1).contains("<artifactId>chirp-service-parent</artifactId>")) {
                apps.add(module.group(1));
            }
        }
        assertEquals(6, apps.size(), "the gateway and five services, from the root pom: " + apps);
        return apps;
    }

    /** What a command printed (stdout and stderr together) and its exit status. */
    record Result(int exit, String output) {
    }

    static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return fail("cannot run " + command + " (" + e.getMessage() + "): is " + command.get(0)
                    + " installed? .ci/run installs it with apt-get");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** {@code docker-compose config} of deploy/docker-compose.yml: env files merged, anchors resolved. */
    static Map<String, Object> composeConfig(boolean observability) {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-f", COMPOSE.toString()));
        if (observability) {
            command.addAll(List.of("--profile", "observability"));
        }
        command.add("config");
        Result result = run(command);
        assertEquals(0, result.exit(), "docker-compose config failed:\n" + result.output());
        return yaml(result.output());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }
}
