package io.chirp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Chirp container in deploy/docker-compose.yml gets the environment its
 * {@code application.yml} reads, as {@code docker-compose config} resolves it (deploy/chirp.env
 * merged in):
 * <ul>
 *   <li>compose builds each of the six applications (the root pom's modules under
 *       chirp-service-parent) once, as a service named like its module, with the module's
 *       port and an existing main class;</li>
 *   <li>every {@code ${CHIRP_…}} placeholder with no default is set;</li>
 *   <li>every placeholder whose default points at another host (127.0.0.1 or localhost: JDBC
 *       URLs, Kafka bootstrap, Redis, Cassandra, Elasticsearch, service URLs, the JWKS URL) is
 *       set, to compose service names and the ports those containers listen on; the service
 *       waits for each such engine with {@code condition: service_healthy}, and that engine has
 *       a healthcheck;</li>
 *   <li>JDBC URLs name the same database as the application.yml default, and that database is
 *       created by the init script mounted into that PostgreSQL container;</li>
 *   <li>{@code CHIRP_PORT} equals the application.yml default (the local cluster's port) and
 *       the image's PORT build argument; the gateway's routes
 *       ({@code chirp.gateway.services.*.url}) name services and ports that compose runs;</li>
 *   <li>no container gets a {@code CHIRP_*} variable that no application reads (a typo);</li>
 *   <li>user-service keeps its JWT signing key on a named volume.</li>
 * </ul>
 */
class ComposeEnvironmentTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::-?([^}]*))?}");
    private static final Pattern URL_ENDPOINT = Pattern.compile("://([A-Za-z0-9.-]+):(\\d+)");
    /** Ports the official images listen on (their documented defaults; compose changes none). */
    private static final Map<String, Integer> ENGINE_PORTS = Map.of(
            "postgres", 5432, "pgbouncer", 6432, "redis", 6379, "cassandra", 9042, "elasticsearch", 9200,
            "all-in-one", 4318); // Jaeger's OTLP over HTTP
    /** Hosts of the observability profile: used only when it runs, so nothing may wait for them. */
    private static final java.util.Set<String> OPTIONAL = java.util.Set.of("jaeger");

    private static Map<String, Object> services;
    private static final Map<String, Map<String, Object>> apps = new LinkedHashMap<>();

    @BeforeAll
    static void resolveCompose() {
        services = Repo.map(Repo.composeConfig(true).get("services"));
        for (var entry : services.entrySet()) {
            Object service = Repo.map(Repo.map(Repo.map(entry.getValue()).get("build")).get("args")).get("SERVICE");
            if (service != null) {
                assertEquals(service, entry.getKey(), "compose service name = module name (it is the hostname)");
                apps.put(entry.getKey(), Repo.map(entry.getValue()));
            }
        }
    }

    /** {@code ${NAME}} / {@code ${NAME:default}} of a module's application.yml, in order; null = no default. */
    static Map<String, String> placeholders(String module) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher m = PLACEHOLDER.matcher(Repo.read(module + "/src/main/resources/application.yml"));
        while (m.find()) {
            String fallback = m.group(2) == null ? null : m.group(2).replace("`", "").replace("\"", "");
            found.put(m.group(1), fallback);
        }
        return found;
    }

    private static Map<String, String> environment(String service) {
        Map<String, String> env = new HashMap<>();
        Repo.map(Repo.map(services.get(service)).get("environment"))
                .forEach((k, v) -> env.put(k, v == null ? null : v.toString()));
        return env;
    }

    private static List<String> endpoints(String value) {
        List<String> found = new ArrayList<>();
        Matcher m = URL_ENDPOINT.matcher(value);
        while (m.find()) {
            found.add(m.group(1) + ":" + m.group(2));
        }
        if (found.isEmpty()) {
            for (String part : value.split(",")) {
                if (part.trim().matches("[A-Za-z0-9.-]+:\\d+")) {
                    found.add(part.trim());
                }
            }
        }
        return found;
    }

    private static boolean pointsElsewhere(String fallback) {
        return fallback != null && (fallback.contains("127.0.0.1") || fallback.contains("localhost"));
    }

    /** The port the container named {@code host} listens on inside the compose network. */
    private static int listenPort(String host) {
        if (apps.containsKey(host)) {
            return Integer.parseInt(environment(host).get("CHIRP_PORT"));
        }
        String image = String.valueOf(Repo.map(services.get(host)).get("image"));
        if (image.startsWith("apache/kafka")) {
            String advertised = environment(host).get("KAFKA_ADVERTISED_LISTENERS");
            Matcher m = Pattern.compile("PLAINTEXT://" + Pattern.quote(host) + ":(\\d+)").matcher(advertised);
            assertTrue(m.find(), "kafka advertises PLAINTEXT://" + host + ":<port>: " + advertised);
            return Integer.parseInt(m.group(1));
        }
        for (var engine : ENGINE_PORTS.entrySet()) {
            if (image.matches("(.*/)?" + engine.getKey() + ":.*")) {
                return engine.getValue();
            }
        }
        throw new AssertionError("no known port for " + host + " (" + image + ")");
    }

    @Test
    void composeBuildsEveryApplicationOnceWithItsPortAndMainClass() {
        assertEquals(new TreeSet<>(Repo.applications()), new TreeSet<>(apps.keySet()));
        for (String app : apps.keySet()) {
            Map<String, Object> args = Repo.map(Repo.map(apps.get(app).get("build")).get("args"));
            String mainClass = String.valueOf(args.get("MAIN_CLASS"));
            assertTrue(java.nio.file.Files.exists(Repo.ROOT.resolve(app + "/src/main/java/"
                    + mainClass.replace('.', '/') + ".java")), app + ": main class " + mainClass + " exists");
            String port = environment(app).get("CHIRP_PORT");
            assertNotNull(port, app + " sets CHIRP_PORT");
            assertEquals(placeholders(app).get("CHIRP_PORT"), port, app + ": same port as application.yml's default");
            assertEquals(port, String.valueOf(args.get("PORT")), app + ": image PORT (EXPOSE, HEALTHCHECK) = CHIRP_PORT");
            assertTrue(String.valueOf(Repo.map(apps.get(app).get("build")).get("dockerfile")).endsWith("deploy/docker/Dockerfile"));
            assertFalse(Repo.map(apps.get(app).get("healthcheck")).containsKey("disable"), app + " keeps the image healthcheck");
        }
        assertTrue(Repo.read("deploy/docker/Dockerfile").contains("HEALTHCHECK"), "the image has a HEALTHCHECK");
    }

    @Test
    void everyPlaceholderWithoutDefaultIsSet() {
        for (String app : apps.keySet()) {
            Map<String, String> env = environment(app);
            placeholders(app).forEach((name, fallback) -> {
                if (fallback == null) {
                    assertTrue(env.get(name) != null && !env.get(name).isBlank(), app + " needs " + name + " (no default)");
                }
            });
        }
    }

    @Test
    void everyAddressOfAnotherHostPointsAtAComposeServiceAndPort() {
        int checked = 0;
        for (String app : apps.keySet()) {
            Map<String, String> env = environment(app);
            Map<String, Object> dependsOn = Repo.map(apps.get(app).get("depends_on"));
            for (var placeholder : placeholders(app).entrySet()) {
                String name = placeholder.getKey();
                if (!pointsElsewhere(placeholder.getValue()) || name.endsWith("_ORIGINS")) {
                    continue; // CORS origins are where browsers load pages from, not hosts a container calls
                }
                String value = env.get(name);
                assertNotNull(value, app + " must set " + name + " (its default " + placeholder.getValue()
                        + " is not reachable from a container)");
                List<String> targets = endpoints(value);
                assertFalse(targets.isEmpty(), app + ": " + name + "=" + value + " names no host:port");
                for (String target : targets) {
                    String host = target.substring(0, target.indexOf(':'));
                    int port = Integer.parseInt(target.substring(target.indexOf(':') + 1));
                    assertTrue(services.containsKey(host), app + ": " + name + " points at " + host + ", not a compose service");
                    assertEquals(listenPort(host), port, app + ": " + name + " port of " + host);
                    if (!apps.containsKey(host) && !OPTIONAL.contains(host)) {
                        assertEquals("service_healthy", Repo.map(dependsOn.get(host)).get("condition"),
                                app + " waits for " + host + " to be healthy");
                        assertTrue(Repo.map(services.get(host)).containsKey("healthcheck"), host + " has a healthcheck");
                    }
                    checked++;
                }
                if (value.startsWith("jdbc:postgresql:")) {
                    checkDatabase(app, name, value, placeholder.getValue());
                }
            }
        }
        assertTrue(checked >= 20, "addresses checked: " + checked);
    }

    private static void checkDatabase(String app, String name, String value, String fallback) {
        String path = value.substring(value.lastIndexOf('/') + 1);
        String database = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        assertEquals(fallback.substring(fallback.lastIndexOf('/') + 1), database, app + ": " + name + " database");
        String host = endpoints(value).get(0).split(":")[0];
        String bouncedTo = environment(host).get("DB_HOST");
        if (bouncedTo != null) {
            // a PgBouncer in transaction mode: named prepared statements would break, and the database is its backend's
            assertTrue(path.contains("prepareThreshold=0"), app + ": " + name + " through PgBouncer needs prepareThreshold=0");
            host = bouncedTo;
        }
        Set<String> created = new TreeSet<>();
        for (Object volume : Repo.list(Repo.map(services.get(host)).get("volumes"))) {
            String[] mount = mount(volume);
            if (mount[1].startsWith("/docker-entrypoint-initdb.d/")) {
                Matcher m = Pattern.compile("(?i)CREATE DATABASE\\s+(\\w+)")
                        .matcher(Repo.read(java.nio.file.Path.of(mount[0])));
                while (m.find()) {
                    created.add(m.group(1));
                }
            }
        }
        assertTrue(created.contains(database), app + ": database " + database + " is created on " + host + " " + created);
    }

    /** {source, target} of a volume entry, short ({@code src:dst[:mode]}) or long syntax. */
    static String[] mount(Object volume) {
        if (volume instanceof String text) {
            String[] parts = text.split(":");
            return new String[] {parts[0], parts.length > 1 ? parts[1] : parts[0]};
        }
        Map<String, Object> entry = Repo.map(volume);
        return new String[] {String.valueOf(entry.get("source")), String.valueOf(entry.get("target"))};
    }

    @Test
    void gatewayRoutesToTheServicesAndPortsComposeRuns() {
        Map<String, Object> routes = Repo.map(Repo.map(Repo.map(Repo.yaml(Repo.read("gateway/src/main/resources/application.yml"))
                .get("chirp")).get("gateway")).get("services"));
        assertEquals(5, routes.size(), "the five services the gateway routes to");
        Map<String, String> gatewayEnv = environment("gateway");
        Map<String, Object> dependsOn = Repo.map(apps.get("gateway").get("depends_on"));
        for (var route : routes.entrySet()) {
            String service = route.getKey();
            String url = String.valueOf(Repo.map(route.getValue()).get("url"));
            Matcher placeholder = PLACEHOLDER.matcher(url);
            assertTrue(placeholder.find(), "gateway route " + service + " is configurable: " + url);
            String defaultPort = endpoints(placeholder.group(2).replace("`", "")).get(0).split(":")[1];
            assertTrue(apps.containsKey(service), "compose runs " + service);
            assertEquals(environment(service).get("CHIRP_PORT"), defaultPort, service + ": gateway's default port = compose port");
            assertEquals("http://" + service + ":" + defaultPort, gatewayEnv.get(placeholder.group(1)),
                    "gateway's " + placeholder.group(1));
            assertEquals("service_healthy", Repo.map(dependsOn.get(service)).get("condition"), "gateway waits for " + service);
        }
        assertEquals(List.of("8080:8080"), Repo.list(apps.get("gateway").get("ports")).stream()
                .map(p -> Repo.map(p).get("published") + ":" + Repo.map(p).get("target")).toList(),
                "the one base URL, :8080");
    }

    /** Every variable any application reads: its application.yml and logback.xml placeholders. */
    static Set<String> variablesRead() {
        Set<String> read = new TreeSet<>();
        for (String app : Repo.applications()) {
            read.addAll(placeholders(app).keySet());
            Matcher m = PLACEHOLDER.matcher(Repo.read(app + "/src/main/resources/logback.xml"));
            while (m.find()) {
                read.add(m.group(1));
            }
        }
        return read;
    }

    @Test
    void noContainerGetsAChirpVariableThatNoApplicationReads() {
        Set<String> read = variablesRead();
        for (String app : apps.keySet()) {
            for (String name : environment(app).keySet()) {
                if (name.startsWith("CHIRP_")) {
                    assertTrue(read.contains(name), app + " gets " + name + ", which no application reads");
                }
            }
        }
    }

    @Test
    void userServiceKeepsItsSigningKeyOnANamedVolume() {
        String keyFile = environment("user-service").get("CHIRP_JWT_KEY_FILE");
        assertNotNull(keyFile, "user-service sets CHIRP_JWT_KEY_FILE (else the key lives in /tmp and changes on restart)");
        Set<String> named = Repo.map(Repo.composeConfig(false).get("volumes")).keySet();
        boolean onVolume = Repo.list(apps.get("user-service").get("volumes")).stream().map(ComposeEnvironmentTest::mount)
                .anyMatch(v -> named.contains(v[0]) && keyFile.startsWith(v[1] + "/"));
        assertTrue(onVolume, "the key file " + keyFile + " is on a named volume");
    }
}
