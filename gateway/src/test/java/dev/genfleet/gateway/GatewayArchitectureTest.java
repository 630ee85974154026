package dev.genfleet.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.genfleet.schemas.Reason;
import org.junit.jupiter.api.Test;

/**
 * Only the API edge speaks HTTP. The domain packages accept, check, publish and read jobs and campaigns; they refuse
 * with a typed {@code refusal.Refusal} and answer with their own records, and {@code api} alone turns both into
 * status codes, problem documents and JSON bodies. ArchUnit reads the bytecode, so fully-qualified names are caught
 * as well as imports.
 */
class GatewayArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.genfleet.gateway");

    private static final String[] DOMAIN = {
        "dev.genfleet.gateway.blob..",
        "dev.genfleet.gateway.campaign..",
        "dev.genfleet.gateway.submit..",
        "dev.genfleet.gateway.status..",
        "dev.genfleet.gateway.webhook..",
        "dev.genfleet.gateway.tenant..",
        "dev.genfleet.gateway.policy..",
        "dev.genfleet.gateway.kafka..",
        "dev.genfleet.gateway.refusal.."
    };

    @Test
    void domainKnowsNothingOfTheApi() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage(DOMAIN)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.genfleet.gateway.api..")
                .because("the domain refuses with a Refusal and answers with its own records; the edge maps both");
        rule.check(CLASSES);
    }

    @Test
    void onlyTheApiSpeaksJaxRs() {
        ArchRule rule = noClasses()
                .that()
                .resideOutsideOfPackage("dev.genfleet.gateway.api..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("jakarta.ws.rs..", "org.jboss.resteasy..")
                .because(
                        "status codes, headers and filters are the edge's; the authentication filter is api/AuthFilter");
        rule.check(CLASSES);
    }

    @Test
    void refusalsArePlainJava() {
        ArchRule rule = classes()
                .that()
                .resideInAPackage("dev.genfleet.gateway.refusal..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.genfleet.gateway.refusal..", "java..")
                .because("a refusal says why, in the domain's words; how to answer it is the edge's business");
        rule.check(CLASSES);
    }

    @Test
    void webhookDeliveryKeepsItsPartsApart() {
        // webhook/DESIGN.md: ownership and offsets, resolution, signed delivery, audit; one class each
        ArchRule onlyTheSenderSpeaksHttp = noClasses()
                .that()
                .resideInAPackage("dev.genfleet.gateway.webhook..")
                .and()
                .haveNameNotMatching("dev\\.genfleet\\.gateway\\.webhook\\.SignedDelivery(\\$.*)?")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("java.net.http..")
                .because("only SignedDelivery sends a webhook; resolution and audit know nothing of HTTP");
        ArchRule onlyTheConsumerPolls = noClasses()
                .that()
                .resideInAPackage("dev.genfleet.gateway.webhook..")
                .and()
                .haveNameNotMatching("dev\\.genfleet\\.gateway\\.webhook\\.FactConsumer(\\$.*)?")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.apache.kafka.clients.consumer.KafkaConsumer")
                .because("partition ownership and offset commits are FactConsumer's alone");
        onlyTheSenderSpeaksHttp.check(CLASSES);
        onlyTheConsumerPolls.check(CLASSES);
    }

    @Test
    void reasonCodesComeFromTheCatalogue() {
        ArchRule rule = noClasses()
                .should()
                .callMethod(Reason.class, "of", String.class, String.class)
                .orShould()
                .callConstructor(Reason.class, String.class, String.class)
                .because("every code the gateway writes is one of ReasonCode's: ReasonCode.X.reason(message), or an"
                        + " existing reason's code with withMessage");
        rule.check(CLASSES);
    }
}
