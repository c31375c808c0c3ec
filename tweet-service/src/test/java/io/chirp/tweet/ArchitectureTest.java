package io.chirp.tweet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** STYLE.md rule 2: the domain imports no HTTP, Kafka, JDBC or store-client types. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.chirp.tweet");

    @Test
    void domainDependsOnNoTransportOrStore() {
        noClasses().that().resideInAPackage("io.chirp.tweet.domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.micronaut.http..", "io.micronaut.security..", "io.micronaut.configuration.kafka..",
                        "org.apache.kafka..", "java.sql..", "javax.sql..", "io.lettuce..", "com.datastax..",
                        "co.elastic..", "io.micrometer..", "io.chirp.tweet.api..", "io.chirp.tweet.store..",
                        "io.chirp.tweet.events..", "io.chirp.tweet.config..", "io.chirp.platform.messaging..",
                        "io.chirp.platform.web..")
                .check(classes);
    }

    @Test
    void onlyTheApiLayerKnowsHttp() {
        noClasses().that().resideInAnyPackage("io.chirp.tweet.store..", "io.chirp.tweet.domain..",
                        "io.chirp.tweet.events..")
                .should().dependOnClassesThat().resideInAnyPackage("io.chirp.tweet.api..", "io.micronaut.http..")
                .check(classes);
    }

    @Test
    void onlyTheEventsLayerKnowsKafkaListeners() {
        noClasses().that().resideInAnyPackage("io.chirp.tweet.store..", "io.chirp.tweet.domain..",
                        "io.chirp.tweet.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micronaut.configuration.kafka..",
                        "io.chirp.tweet.events..")
                .check(classes);
    }
}
