package io.chirp.engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a {@code java} executable whose feature version lies in a range. Cassandra 5.0 runs
 * on JDK 11–17 only (JDK 24+ fails: "Setting a system-wide Policy object is not supported"),
 * while the launcher itself may run on any JDK 17+.
 * Search order: the environment variable given, the running JVM, then every JDK under
 * {@code /usr/lib/jvm} (newest acceptable first).
 */
public final class JdkLocator {

    private static final Pattern VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)(?:\\.(\\d+))?");

    private JdkLocator() {
    }

    /**
     * @param envVariable an environment variable naming a JDK home, checked first (may be unset)
     * @param min lowest acceptable feature version, inclusive
     * @param max highest acceptable feature version, inclusive
     * @param purpose what needs it, for the error message
     * @return the path of {@code bin/java}
     * @throws EngineStartException when none is found, saying what to install or set
     */
    public static Path find(String envVariable, int min, int max, String purpose) {
        String fromEnv = System.getenv(envVariable);
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path home = Path.of(fromEnv);
            int version = featureVersion(home).orElse(-1);
            if (version < min || version > max) {
                throw new EngineStartException(envVariable + "=" + fromEnv + " is not a JDK " + min
                        + "–" + max + " (found " + (version < 0 ? "no JDK" : "JDK " + version) + "), which "
                        + purpose + " needs.");
            }
            return home.resolve("bin/java");
        }
        int running = Runtime.version().feature();
        if (running >= min && running <= max) {
            return Path.of(System.getProperty("java.home"), "bin", "java");
        }
        List<Path> candidates = new ArrayList<>();
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                homes.filter(h -> Files.isExecutable(h.resolve("bin/java"))).forEach(candidates::add);
            } catch (IOException e) {
                // unreadable: treat as empty
            }
        }
        return candidates.stream()
                .filter(h -> featureVersion(h).map(v -> v >= min && v <= max).orElse(false))
                .max((a, b) -> Integer.compare(featureVersion(a).orElse(0), featureVersion(b).orElse(0)))
                .map(h -> h.resolve("bin/java"))
                .orElseThrow(() -> new EngineStartException(purpose + " needs a JDK " + min + "–" + max
                        + ", and none was found (checked $" + envVariable + ", the running JDK "
                        + running + " and /usr/lib/jvm). Install one (e.g. `apt-get install"
                        + " openjdk-17-jdk-headless`) or set " + envVariable + " to its home."));
    }

    /** The feature version of the JDK at {@code home}, read from its {@code release} file. */
    static Optional<Integer> featureVersion(Path home) {
        try {
            Path release = home.resolve("release");
            if (!Files.exists(release)) {
                return Optional.empty();
            }
            Matcher m = VERSION.matcher(Files.readString(release));
            if (!m.find()) {
                return Optional.empty();
            }
            int first = Integer.parseInt(m.group(1));
            // Java 8 and older report 1.x
            return Optional.of(first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
