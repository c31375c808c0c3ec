package io.chirp.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The Prometheus series names the Chirp applications expose at {@code /prometheus}, without
 * starting them: each meter registered in their Java code (and in the platform libraries they
 * run), found in the source, is registered again — same kind, same name, same percentile or
 * histogram options — in the same Micrometer Prometheus registry the services use; so are
 * Micronaut's standard meters (the {@code http.server.requests} timer, the JVM and system
 * binders; the timer's {@code _bucket} series when an application's application.yml sets
 * {@value #SERVER_HISTOGRAM}) and the Kafka client metrics of micronaut-kafka's consumer and
 * producer reporters, which are installed in a real (unconnected) KafkaConsumer and
 * KafkaProducer, and Resilience4j's tagged circuit-breaker meters when the code binds them
 * ({@code TaggedCircuitBreakerMetrics}: chirp-web's breakers per called service, chirp-database's
 * per database). That these names are what a running service serves is checked by each
 * service's ServiceOperationsIT, which scrapes its {@code /prometheus} (e.g.
 * {@code http_server_requests_seconds_bucket}, {@code kafka_consumer_records_lag_max_records}). The registry's
 * own scrape then names every series (dots → underscores, counters {@code _total}, timers
 * {@code _seconds_count/_sum/_max}, units as suffixes), so no naming rule is re-implemented here.
 */
final class ExposedMetrics {

    private static final String ID = "(\"([^\"]+)\"|([A-Za-z_][A-Za-z0-9_.]*))";
    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Counter|Timer|DistributionSummary|Gauge|TimeGauge|LongTaskTimer|FunctionCounter)\\.builder\\(\\s*" + ID);
    private static final Pattern SHORTHAND = Pattern.compile("\\.(counter|timer|summary|gauge)\\(\\s*" + ID);

    /** One meter registration found in the source. */
    record SourceMeter(String kind, String name, boolean percentiles, boolean histogram, String baseUnit, Path file) {
    }

    private ExposedMetrics() {
    }

    static List<Path> sourceRoots() {
        List<Path> roots = new ArrayList<>();
        for (String app : Repo.applications()) {
            roots.add(Repo.ROOT.resolve(app).resolve("src/main/java"));
        }
        try (Stream<Path> platform = Files.list(Repo.ROOT.resolve("platform"))) {
            platform.map(p -> p.resolve("src/main/java")).filter(Files::isDirectory).forEach(roots::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return roots;
    }

    /** Every meter registration in the services' and platform libraries' main Java code. */
    static List<SourceMeter> sourceMeters() {
        List<Path> files = new ArrayList<>();
        for (Path root : sourceRoots()) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<SourceMeter> meters = new ArrayList<>();
        for (Path file : files) {
            String source = Repo.read(file);
            for (Pattern pattern : List.of(BUILDER, SHORTHAND)) {
                Matcher m = pattern.matcher(source);
                while (m.find()) {
                    String kind = switch (m.group(1)) {
                        case "counter", "Counter", "FunctionCounter" -> "counter";
                        case "timer", "Timer" -> "timer";
                        case "summary", "DistributionSummary" -> "summary";
                        case "LongTaskTimer" -> "longTaskTimer";
                        default -> "gauge";
                    };
                    String name = m.group(3) != null ? m.group(3) : resolve(m.group(4), source, files, file);
                    int end = source.indexOf(';', m.end());
                    String statement = source.substring(m.start(), end < 0 ? source.length() : end);
                    Matcher unit = Pattern.compile("\\.baseUnit\\(\\s*\"([^\"]+)\"").matcher(statement);
                    meters.add(new SourceMeter(kind, name, statement.contains(".publishPercentiles("),
                            statement.contains(".publishPercentileHistogram("), unit.find() ? unit.group(1) : null, file));
                }
            }
        }
        return meters;
    }

    /** A constant's value: {@code static final String NAME = "…"} in the file, else anywhere in the code. */
    private static String resolve(String identifier, String source, List<Path> files, Path file) {
        String simple = identifier.substring(identifier.lastIndexOf('.') + 1);
        Pattern constant = Pattern.compile("\\bString\\s+" + Pattern.quote(simple) + "\\s*=\\s*\"([^\"]+)\"");
        Matcher local = constant.matcher(source);
        if (local.find()) {
            return local.group(1);
        }
        for (Path other : files) {
            Matcher m = constant.matcher(Repo.read(other));
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("meter name " + identifier + " in " + file + " is not a string constant this test can read");
    }

    /** The Prometheus series names: the meters of the source plus Micronaut's standard ones. */
    static Set<String> seriesNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (SourceMeter meter : sourceMeters()) {
            register(registry, meter);
        }
        // micronaut-micrometer: the HTTP server filter's timer, with its buckets when an application turns them on
        Timer.Builder server = Timer.builder("http.server.requests")
                .tags("method", "GET", "status", "200", "uri", "/x", "exception", "none");
        if (!serverHistogramApplications().isEmpty()) {
            server.publishPercentileHistogram();
        }
        server.register(registry).record(Duration.ofMillis(1));
        // micronaut-micrometer's default binders (jvm, system)
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        try (JvmGcMetrics gc = new JvmGcMetrics()) {
            gc.bindTo(registry);
            kafkaClients(registry);
            if (bindsCircuitBreakerMetrics()) {
                circuitBreakers(registry);
            }
            return names(registry.scrape());
        }
    }

    /** The setting that gives {@code http.server.requests} its {@code _bucket} series (micronaut-micrometer's HttpServerMeterConfig). */
    static final String SERVER_HISTOGRAM = "micronaut.metrics.binders.web.server.histogram";

    /** The applications whose application.yml sets {@value #SERVER_HISTOGRAM} to true. */
    static Set<String> serverHistogramApplications() {
        Set<String> apps = new TreeSet<>();
        for (String app : Repo.applications()) {
            Object value = Repo.yaml(Repo.read(app + "/src/main/resources/application.yml"));
            for (String key : SERVER_HISTOGRAM.split("\\.")) {
                value = Repo.map(value).get(key);
            }
            if (Boolean.TRUE.equals(value)) {
                apps.add(app);
            }
        }
        return apps;
    }

    private static void register(MeterRegistry registry, SourceMeter meter) {
        switch (meter.kind()) {
            case "counter" -> Counter.builder(meter.name()).baseUnit(meter.baseUnit()).register(registry).increment();
            case "timer" -> {
                Timer.Builder builder = Timer.builder(meter.name());
                if (meter.percentiles()) {
                    builder.publishPercentiles(0.5, 0.99);
                }
                if (meter.histogram()) {
                    builder.publishPercentileHistogram();
                }
                builder.register(registry).record(Duration.ofMillis(1));
            }
            case "summary" -> {
                DistributionSummary.Builder builder = DistributionSummary.builder(meter.name()).baseUnit(meter.baseUnit());
                if (meter.percentiles()) {
                    builder.publishPercentiles(0.5, 0.99);
                }
                if (meter.histogram()) {
                    builder.publishPercentileHistogram();
                }
                builder.register(registry).record(1);
            }
            case "longTaskTimer" -> LongTaskTimer.builder(meter.name()).register(registry);
            default -> Gauge.builder(meter.name(), () -> 1).baseUnit(meter.baseUnit()).register(registry);
        }
    }

    /** Whether some application code binds Resilience4j's tagged breaker meters to its registry. */
    static boolean bindsCircuitBreakerMetrics() {
        for (Path root : sourceRoots()) {
            try (Stream<Path> files = Files.walk(root)) {
                if (files.filter(f -> f.toString().endsWith(".java")).anyMatch(f -> Repo.read(f)
                        .contains("TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry("))) {
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }

    /** Resilience4j's tagged breaker meters ({@code resilience4j_circuitbreaker_*}), for one breaker. */
    private static void circuitBreakers(MeterRegistry registry) {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        breakers.circuitBreaker("some-service");
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
    }

    /** micronaut-kafka's metric reporters, as the services' consumers and producers get them. */
    private static void kafkaClients(MeterRegistry registry) {
        Properties consumer = new Properties();
        consumer.put("bootstrap.servers", "127.0.0.1:9");
        consumer.put("group.id", "deploy-tests");
        consumer.put("key.deserializer", StringDeserializer.class.getName());
        consumer.put("value.deserializer", StringDeserializer.class.getName());
        consumer.put("metric.reporters", "io.micronaut.configuration.kafka.metrics.ConsumerKafkaMetricsReporter");
        consumer.put("meter.registry", registry);
        Properties producer = new Properties();
        producer.put("bootstrap.servers", "127.0.0.1:9");
        producer.put("key.serializer", StringSerializer.class.getName());
        producer.put("value.serializer", StringSerializer.class.getName());
        producer.put("metric.reporters", "io.micronaut.configuration.kafka.metrics.ProducerKafkaMetricsReporter");
        producer.put("meter.registry", registry);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumer);
             KafkaProducer<String, String> p = new KafkaProducer<>(producer)) {
            // the names exist once the clients exist; nothing is sent
            p.close(Duration.ZERO);
            c.close(Duration.ZERO);
        }
    }

    static Set<String> names(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    static Set<String> fromSource() {
        Set<String> names = new TreeSet<>();
        sourceMeters().forEach(m -> names.add(m.name()));
        return names;
    }

    /** Counted meter-creating calls in the source, to check none escaped {@link #sourceMeters()}. */
    static long registrationCalls() {
        long calls = 0;
        for (Path root : sourceRoots()) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = Pattern.compile("\\b(Counter|Timer|DistributionSummary|Gauge|TimeGauge|LongTaskTimer|FunctionCounter)"
                            + "\\s*\\.\\s*builder\\s*\\(|\\.(counter|timer|summary|gauge)\\s*\\(").matcher(Repo.read(file));
                    while (m.find()) {
                        calls++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return calls;
    }
}
