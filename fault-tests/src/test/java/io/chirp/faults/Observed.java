package io.chirp.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.chirp.platform.events.Topics;

/**
 * What the cluster says about itself: each service's {@code /prometheus} (outbox backlog, saga
 * instances by state, dead-lettered records) and Kafka's consumer-group offsets (lag).
 */
final class Observed implements AutoCloseable {

    /** One sample of a Prometheus text exposition: name, labels, value. */
    record Sample(String service, String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+).*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The saga states that end a saga; any other state is one under way. */
    static final Set<String> TERMINAL_SAGA_STATES = Set.of("done", "compensated");

    private final Map<String, URI> services;
    private final Admin admin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Observed(Map<String, URI> services, String kafkaBootstrap) {
        this.services = services;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.admin = Admin.create(props);
    }

    /** Every sample of every service whose name starts with {@code prefix}; a service that does not answer is skipped. */
    List<Sample> samples(String prefix) {
        List<Sample> samples = new ArrayList<>();
        services.forEach((service, base) -> {
            String text = scrape(base.resolve("/prometheus"));
            if (text == null) {
                return;
            }
            for (String line : text.split("\n")) {
                if (line.startsWith("#") || !line.startsWith(prefix)) {
                    continue;
                }
                Matcher matcher = LINE.matcher(line);
                if (matcher.matches()) {
                    Map<String, String> labels = new LinkedHashMap<>();
                    if (matcher.group(3) != null) {
                        Matcher label = LABEL.matcher(matcher.group(3));
                        while (label.find()) {
                            labels.put(label.group(1), label.group(2));
                        }
                    }
                    samples.add(new Sample(service, matcher.group(1), labels, Double.parseDouble(matcher.group(4))));
                }
            }
        });
        return samples;
    }

    /**
     * The sum of every {@code *_dead_lettered_total} counter over the services
     * ({@code chirp_search_dead_lettered_total}, {@code tweet_events_dead_lettered_total}, …).
     */
    double deadLettered() {
        return samples("").stream().filter(s -> s.name().endsWith("_dead_lettered_total"))
                .mapToDouble(Sample::value).sum();
    }

    /** Consumer group → records not yet consumed (end offset − committed offset, over every partition it reads). */
    Map<String, Long> consumerLag() {
        Map<String, Long> lag = new LinkedHashMap<>();
        try {
            for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
                committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                        .get(10, TimeUnit.SECONDS);
                long total = 0;
                for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
                    if (entry.getValue() != null) {
                        total += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
                    }
                }
                lag.put(group.groupId(), total);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            lag.put("(kafka not answering: " + e.getMessage() + ")", -1L);
        }
        return lag;
    }

    /** The number of records in every dead-letter topic, summed. */
    long deadLetterRecords() {
        try {
            Map<TopicPartition, OffsetSpec> ends = new LinkedHashMap<>();
            for (String topic : admin.listTopics().names().get(10, TimeUnit.SECONDS)) {
                if (topic.endsWith(Topics.DEAD_LETTER_SUFFIX)) {
                    admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                            .partitions().forEach(p -> ends.put(new TopicPartition(topic, p.partition()),
                                    OffsetSpec.latest()));
                }
            }
            return admin.listOffsets(ends).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("could not read the dead-letter topics: " + e, e);
        }
    }

    private String scrape(URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
