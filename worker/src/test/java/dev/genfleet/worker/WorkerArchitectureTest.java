package dev.genfleet.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.genfleet.schemas.Reason;
import org.junit.jupiter.api.Test;

/**
 * The worker's layers: batching, running and the job-to-model adapters know rows and models, not
 * messaging; only {@code consume}, {@code publish}, {@code health} and {@code config} meet Kafka and
 * Quarkus. ArchUnit reads the bytecode, so fully-qualified names are caught as well as imports.
 */
class WorkerArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.genfleet.worker");

    private static final String[] MESSAGING = {
        "org.apache.kafka..",
        "io.smallrye.reactive.messaging..",
        "org.eclipse.microprofile.reactive.messaging..",
        "io.quarkus..",
        "io.vertx..",
        "jakarta.enterprise..",
        "jakarta.inject.."
    };

    @Test
    void batchAndRunKnowNoMessaging() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.genfleet.worker.batch..", "dev.genfleet.worker.run..", "dev.genfleet.worker.model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(MESSAGING)
                .because("a batch and a model run the same whether the rows came from Kafka or a test");
        rule.check(CLASSES);
    }

    @Test
    void noTrainingInAWorker() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.genfleet.worker..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.genfleet.training..")
                .because("trainers and corpora are a tool, never in a worker image");
        rule.check(CLASSES);
    }

    @Test
    void modelsDoNotReachBackIntoTheApplication() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.genfleet.worker.model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.genfleet.worker.consume..",
                        "dev.genfleet.worker.publish..",
                        "dev.genfleet.worker.health..")
                .because("the job-to-model adapters are called by the pipeline, never the other way round");
        rule.check(CLASSES);
    }

    @Test
    void reasonCodesComeFromTheCatalogue() {
        ArchRule rule = noClasses()
                .should()
                .callMethod(Reason.class, "of", String.class, String.class)
                .orShould()
                .callConstructor(Reason.class, String.class, String.class)
                .because("every code a worker writes is one of ReasonCode's: ReasonCode.X.reason(message), or an"
                        + " existing reason's code with withMessage");
        rule.check(CLASSES);
    }
}
