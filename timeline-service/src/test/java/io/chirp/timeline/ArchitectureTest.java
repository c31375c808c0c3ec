package io.chirp.timeline;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** STYLE.md rule 2: the domain imports no HTTP, Kafka, JDBC or store-client types. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.chirp.timeline");

    @Test
    void domainDependsOnNoTransportOrStore() {
        noClasses().that().resideInAPackage("io.chirp.timeline.domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.micronaut.http..", "org.apache.kafka..", "java.sql..", "javax.sql..",
                        "io.lettuce..", "com.datastax..", "co.elastic..", "io.chirp.timeline.api..",
                        "io.chirp.timeline.store..", "io.chirp.platform.messaging..")
                .check(classes);
    }

    @Test
    void onlyTheApiLayerKnowsHttp() {
        noClasses().that().resideInAnyPackage("io.chirp.timeline.store..", "io.chirp.timeline.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("io.chirp.timeline.api..", "io.micronaut.http.annotation..")
                .check(classes);
    }
}
