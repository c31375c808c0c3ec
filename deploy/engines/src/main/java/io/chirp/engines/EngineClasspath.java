package io.chirp.engines;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpath of an engine's child JVM. Each {@code deploy/engines-<name>} module writes
 * its runtime classpath (absolute jar paths in the local Maven repository) into the resource
 * {@code chirp/engines/<name>.classpath} of its own jar; the jar itself (which may hold the
 * engine's main class) is put first.
 */
public final class EngineClasspath {

    private EngineClasspath() {
    }

    public static String of(String engine) {
        String resource = "chirp/engines/" + engine + ".classpath";
        URL url = EngineClasspath.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new EngineStartException("No classpath for " + engine + " (resource " + resource
                    + " is missing): build the project first with ./mvnw -DskipTests install");
        }
        List<String> entries = new ArrayList<>();
        entries.add(containerOf(url, resource).toString());
        try (InputStream in = url.openStream()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            entries.add(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** The jar file or classes directory that holds {@code resource}. */
    private static Path containerOf(URL url, String resource) {
        try {
            String text = url.toString();
            if (text.startsWith("jar:")) {
                String file = text.substring("jar:".length(), text.indexOf("!/"));
                return Path.of(new java.net.URI(file));
            }
            Path path = Path.of(url.toURI());
            for (int i = 0; i < resource.split("/").length; i++) {
                path = path.getParent();
            }
            return path;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
