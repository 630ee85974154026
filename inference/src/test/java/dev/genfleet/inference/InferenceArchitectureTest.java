package dev.genfleet.inference;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The inference library knows tensors, not jobs: no genfleet contract, worker or gateway types, no
 * Kafka, Quarkus, CDI, MicroProfile or SmallRye. ArchUnit reads the bytecode, so a fully-qualified name
 * in the source is caught as well as an import.
 */
class InferenceArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.genfleet.inference");

    @Test
    void knowsNoJobs() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.genfleet.inference..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.genfleet.schemas..",
                        "dev.genfleet.worker..",
                        "dev.genfleet.gateway..",
                        "dev.genfleet.training..")
                .because("inference is a library of models; jobs, topics and training live elsewhere");
        rule.check(CLASSES);
    }

    @Test
    void knowsNoFramework() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.genfleet.inference..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.kafka..",
                        "io.quarkus..",
                        "jakarta..",
                        "org.eclipse.microprofile..",
                        "io.smallrye..",
                        "io.vertx..")
                .because("inference runs in a worker, a benchmark or a trainer alike");
        rule.check(CLASSES);
    }
}
