package io.chirp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s holds together: every YAML file parses; each kustomization lists every YAML file of
 * its directory (and only existing ones); the base has a Deployment, Service,
 * HorizontalPodAutoscaler (CPU) and PodDisruptionBudget for each of the six applications; each
 * Deployment's readiness, liveness and startup probes are HTTP GETs on {@code /health…} at the
 * container's port, which is the application's port (application.yml's CHIRP_PORT default),
 * the Service's targetPort and the port of the Prometheus annotation; HPAs and PDBs point at the
 * Deployment's name and labels; every CHIRP_* variable set is one the applications read, and
 * every address in the ConfigMap is set for the placeholders whose default points at
 * 127.0.0.1. When {@code kubectl} is on the PATH, {@code kubectl kustomize} also builds the base
 * and the local overlay (skipped otherwise: Debian has no kubectl package).
 */
class KubernetesManifestsTest {

    private static final Path K8S = Repo.ROOT.resolve("deploy/k8s");

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(K8S)) {
            return walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Path file) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : Repo.yamlDocuments(Repo.read(file))) {
            if (document instanceof Map<?, ?> map) {
                objects.add((Map<String, Object>) map);
            }
        }
        return objects;
    }

    @Test
    void everyFileParsesAndEveryKustomizationListsItsDirectory() throws IOException {
        List<Path> files = yamlFiles();
        assertTrue(files.size() >= 10, "k8s files: " + files);
        files.forEach(KubernetesManifestsTest::objects);
        List<Path> kustomizations = files.stream().filter(p -> p.getFileName().toString().equals("kustomization.yaml")).toList();
        assertEquals(2, kustomizations.size(), "base and overlays/local: " + kustomizations);
        for (Path kustomization : kustomizations) {
            Map<String, Object> k = objects(kustomization).get(0);
            Path dir = kustomization.getParent();
            Set<String> referenced = new TreeSet<>();
            for (Object resource : Repo.list(k.get("resources"))) {
                String name = String.valueOf(resource);
                assertTrue(Files.exists(dir.resolve(name)), kustomization + " lists missing " + name);
                if (!Files.isDirectory(dir.resolve(name))) {
                    referenced.add(name);
                }
            }
            for (Object patch : Repo.list(k.get("patches"))) {
                String path = String.valueOf(Repo.map(patch).get("path"));
                assertTrue(Files.exists(dir.resolve(path)), kustomization + " patches with missing " + path);
                referenced.add(path);
            }
            Set<String> present = new TreeSet<>();
            try (Stream<Path> list = Files.list(dir)) {
                list.map(p -> p.getFileName().toString())
                        .filter(n -> (n.endsWith(".yaml") || n.endsWith(".yml")) && !n.equals("kustomization.yaml"))
                        .forEach(present::add);
            }
            assertEquals(present, referenced, kustomization + " lists every file of its directory");
        }
    }

    @Test
    void eachApplicationHasDeploymentServiceHpaAndPdbWithMatchingPorts() throws IOException {
        Map<String, Map<String, Map<String, Object>>> byKind = new HashMap<>();
        for (Path file : yamlFiles()) {
            if (file.startsWith(K8S.resolve("base"))) {
                for (Map<String, Object> object : objects(file)) {
                    String name = String.valueOf(Repo.map(object.get("metadata")).get("name"));
                    byKind.computeIfAbsent(String.valueOf(object.get("kind")), k -> new HashMap<>()).put(name, object);
                }
            }
        }
        Set<String> read = ComposeEnvironmentTest.variablesRead();
        Map<String, String> expanded = new HashMap<>(); // every $(NAME)-expanded env value of a Deployment
        for (String app : Repo.applications()) {
            Map<String, Object> deployment = byKind.getOrDefault("Deployment", Map.of()).get(app);
            assertNotNull(deployment, "Deployment " + app);
            Map<String, Object> spec = Repo.map(deployment.get("spec"));
            Map<String, Object> labels = Repo.map(Repo.map(spec.get("selector")).get("matchLabels"));
            Map<String, Object> template = Repo.map(spec.get("template"));
            assertTrue(Repo.map(Repo.map(template.get("metadata")).get("labels")).entrySet().containsAll(labels.entrySet()));
            Map<String, Object> container = Repo.map(Repo.list(Repo.map(template.get("spec")).get("containers")).get(0));
            int port = (Integer) Repo.map(Repo.list(container.get("ports")).get(0)).get("containerPort");
            assertEquals(ComposeEnvironmentTest.placeholders(app).get("CHIRP_PORT"), String.valueOf(port), app + " port");
            Map<String, String> env = new HashMap<>();
            for (Object variable : Repo.list(container.get("env"))) {
                Map<String, Object> v = Repo.map(variable);
                env.put(String.valueOf(v.get("name")), String.valueOf(v.get("value")));
                if (String.valueOf(v.get("value")).contains("$(")) {
                    expanded.put(app + " " + v.get("name"), String.valueOf(v.get("value")));
                }
                if (String.valueOf(v.get("name")).startsWith("CHIRP_")) {
                    assertTrue(read.contains(v.get("name")), app + " sets " + v.get("name") + ", which no application reads");
                }
            }
            assertEquals(String.valueOf(port), env.get("CHIRP_PORT"), app + " CHIRP_PORT");
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                Map<String, Object> get = Repo.map(Repo.map(container.get(probe)).get("httpGet"));
                assertTrue(String.valueOf(get.get("path")).startsWith("/health"), app + " " + probe + " path");
                assertEquals(port, get.get("port"), app + " " + probe + " port = containerPort");
            }
            assertEquals("/health", Repo.map(Repo.map(container.get("readinessProbe")).get("httpGet")).get("path"));
            assertNotNull(Repo.map(container.get("resources")).get("requests"), app + " resource requests");
            assertEquals(String.valueOf(port), Repo.map(Repo.map(template.get("metadata")).get("annotations")).get("prometheus.io/port"));

            Map<String, Object> service = byKind.getOrDefault("Service", Map.of()).get(app);
            assertNotNull(service, "Service " + app);
            Map<String, Object> servicePort = Repo.map(Repo.list(Repo.map(service.get("spec")).get("ports")).get(0));
            assertEquals(port, servicePort.get("targetPort"), app + " Service targetPort");
            assertEquals(port, servicePort.get("port"), app + " Service port (the CHIRP_*_SERVICE_URL port)");
            assertEquals(labels, Repo.map(Repo.map(service.get("spec")).get("selector")), app + " Service selector");

            Map<String, Object> hpa = byKind.getOrDefault("HorizontalPodAutoscaler", Map.of()).get(app);
            assertNotNull(hpa, "HPA " + app);
            Map<String, Object> hpaSpec = Repo.map(hpa.get("spec"));
            assertEquals(app, Repo.map(hpaSpec.get("scaleTargetRef")).get("name"));
            assertEquals("cpu", Repo.map(Repo.map(Repo.list(hpaSpec.get("metrics")).get(0)).get("resource")).get("name"));

            Map<String, Object> pdb = byKind.getOrDefault("PodDisruptionBudget", Map.of()).get(app);
            assertNotNull(pdb, "PDB " + app);
            assertEquals(labels, Repo.map(Repo.map(Repo.map(pdb.get("spec")).get("selector")).get("matchLabels")));
        }
        Map<String, Object> config = Repo.map(byKind.get("ConfigMap").get("chirp-config").get("data"));
        for (String app : Repo.applications()) {
            ComposeEnvironmentTest.placeholders(app).forEach((name, fallback) -> {
                boolean elsewhere = fallback != null && fallback.contains("127.0.0.1");
                boolean perDeployment = name.startsWith("CHIRP_SHARD");
                if (elsewhere && !perDeployment) {
                    assertNotNull(config.get(name), "chirp-config sets " + name + " (read by " + app + ")");
                }
            });
        }
        for (String name : config.keySet()) {
            if (name.matches("CHIRP_SHARD\\d+(_REPLICA)?_HOST")) {
                // no application reads a host: the Deployments build their JDBC URLs from it
                assertTrue(expanded.values().stream().anyMatch(value -> value.contains("$(" + name + ")")),
                        "chirp-config sets " + name + ", which no Deployment's JDBC URL uses");
            } else if (name.startsWith("CHIRP_")) {
                assertTrue(read.contains(name), "chirp-config sets " + name + ", which no application reads");
            }
        }
        // a URL through a PgBouncer Pooler (transaction mode) must not use named prepared statements (ADR 0006)
        expanded.forEach((where, value) -> {
            java.util.regex.Matcher host = java.util.regex.Pattern.compile("\\$\\((\\w+)\\)").matcher(value);
            while (host.find()) {
                if (String.valueOf(config.get(host.group(1))).contains("pooler")) {
                    assertTrue(value.contains("prepareThreshold=0"), where + " goes through PgBouncer: " + value);
                }
            }
        });
        assertFalse(config.containsKey("CHIRP_PORT"), "CHIRP_PORT is per Deployment");
    }

    @Test
    void kustomizeBuildsBaseAndLocalOverlay() {
        Assumptions.assumeTrue(Repo.onPath("kubectl"), "kubectl not installed");
        for (String dir : List.of("deploy/k8s/base", "deploy/k8s/overlays/local")) {
            Repo.Result result = Repo.run(List.of("kubectl", "kustomize", dir));
            assertEquals(0, result.exit(), dir + ":\n" + result.output());
            assertEquals(6, result.output().split("\nkind: Deployment\n", -1).length - 1, dir + " has six Deployments");
        }
    }
}
