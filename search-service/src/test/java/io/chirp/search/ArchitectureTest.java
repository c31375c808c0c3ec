package io.chirp.search;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** STYLE.md rule 2: the domain imports no HTTP, Kafka, Elasticsearch or other store-client types. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.chirp.search");

    @Test
    void domainDependsOnNoTransportOrStore() {
        noClasses().that().resideInAPackage("io.chirp.search.domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.micronaut.http..", "org.apache.kafka..", "io.micronaut.configuration.kafka..",
                        "co.elastic..", "org.elasticsearch..", "org.apache.http..", "java.sql..", "javax.sql..",
                        "io.chirp.search.api..", "io.chirp.search.store..", "io.chirp.search.events..")
                .check(classes);
    }

    @Test
    void onlyTheApiLayerKnowsHttp() {
        noClasses().that().resideInAnyPackage("io.chirp.search.store..", "io.chirp.search.domain..",
                        "io.chirp.search.events..")
                .should().dependOnClassesThat().resideInAnyPackage("io.chirp.search.api..", "io.micronaut.http.annotation..")
                .check(classes);
    }

    @Test
    void onlyTheStoreKnowsElasticsearch() {
        noClasses().that().resideOutsideOfPackage("io.chirp.search.store..")
                .should().dependOnClassesThat().resideInAnyPackage("co.elastic..", "org.elasticsearch..")
                .check(classes);
    }
}
