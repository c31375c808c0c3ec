package io.chirp.launcher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fixed loopback ports of the local cluster. Each can be overridden by an environment
 * variable {@code CHIRP_PORT_<NAME>} (e.g. {@code CHIRP_PORT_GATEWAY=9080}), and all of them
 * shifted at once with {@code ./chirp up --port-offset N}.
 */
record ClusterPorts(Map<String, Integer> ports) {

    static final Map<String, Integer> DEFAULTS;

    static {
        Map<String, Integer> defaults = new LinkedHashMap<>();
        defaults.put("postgres-0", 15432);
        defaults.put("postgres-1", 15433);
        defaults.put("postgres-0-replica", 15434);
        defaults.put("postgres-1-replica", 15435);
        defaults.put("redis", 16379);
        defaults.put("kafka", 19092);
        defaults.put("kafka-controller", 19093);
        defaults.put("cassandra", 19042);
        defaults.put("cassandra-storage", 17000);
        defaults.put("elasticsearch", 19200);
        defaults.put("elasticsearch-transport", 19300);
        defaults.put("gateway", 8080);
        defaults.put("user-service", 8081);
        defaults.put("tweet-service", 8082);
        defaults.put("timeline-service", 8083);
        defaults.put("like-service", 8084);
        defaults.put("search-service", 8085);
        DEFAULTS = Map.copyOf(defaults);
        ORDER = defaults.keySet().toArray(String[]::new);
    }

    private static final String[] ORDER;

    static ClusterPorts resolve(Map<String, String> environment, int offset) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : ORDER) {
            String variable = "CHIRP_PORT_" + name.toUpperCase().replace('-', '_');
            String override = environment.get(variable);
            int port;
            try {
                port = override == null ? DEFAULTS.get(name) + offset : Integer.parseInt(override.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(variable + "=" + override + " is not a port number");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " for " + name + " is out of range");
            }
            ports.put(name, port);
        }
        return new ClusterPorts(ports);
    }

    int of(String name) {
        Integer port = ports.get(name);
        if (port == null) {
            throw new IllegalArgumentException("no port named " + name);
        }
        return port;
    }
}
