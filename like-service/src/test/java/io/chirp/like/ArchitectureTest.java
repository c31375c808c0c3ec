package io.chirp.like;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** STYLE.md rule 2: the domain imports no HTTP, Kafka, JDBC or store-client types. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.chirp.like");

    @Test
    void domainDependsOnNoTransportOrStore() {
        noClasses().that().resideInAPackage("io.chirp.like.domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.micronaut.http..", "org.apache.kafka..", "java.sql..", "javax.sql..",
                        "io.lettuce..", "com.datastax..", "co.elastic..", "io.chirp.like.api..",
                        "io.chirp.like.store..", "io.chirp.platform.messaging..")
                .check(classes);
    }

    @Test
    void onlyTheApiLayerKnowsHttp() {
        noClasses().that().resideInAnyPackage("io.chirp.like.store..", "io.chirp.like.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("io.chirp.like.api..", "io.micronaut.http.annotation..")
                .check(classes);
    }
}
