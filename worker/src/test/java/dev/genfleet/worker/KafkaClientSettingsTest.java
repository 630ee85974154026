package dev.genfleet.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every Kafka client of the worker takes its connection and security settings from one place: Quarkus'
 * {@code kafka.*} configuration (SmallRye's default Kafka configuration), which the chart and the secured
 * tests ({@code SecuredWorkerIT}) set. So no class builds a Kafka client of its own, and no channel sets its
 * own address or security.
 */
class KafkaClientSettingsTest {

    private static final Pattern CONNECTION =
            Pattern.compile("mp\\.messaging\\.(incoming|outgoing|connector)\\.[^.]+\\.(bootstrap\\.servers|security\\."
                    + "protocol|sasl\\..*|ssl\\..*)");

    @Test
    void noWorkerClassBuildsAKafkaClientOfItsOwn() {
        noClasses()
                .that()
                .resideInAPackage("dev.genfleet.worker..")
                .should()
                .accessClassesThat()
                .belongToAnyOf(
                        org.apache.kafka.clients.producer.KafkaProducer.class,
                        org.apache.kafka.clients.consumer.KafkaConsumer.class,
                        org.apache.kafka.clients.admin.Admin.class,
                        org.apache.kafka.clients.admin.AdminClient.class)
                .because("a client built here would miss kafka.security.protocol, kafka.sasl.* and kafka.ssl.*: use a"
                        + " channel, an emitter or KafkaClientService")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.genfleet.worker"));
    }

    @Test
    void noChannelSetsItsOwnAddressOrSecurity() throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            p.load(in);
        }
        List<String> own = p.stringPropertyNames().stream()
                .map(k -> k.replaceFirst("^%[^.]+\\.", ""))
                .filter(k -> CONNECTION.matcher(k).matches())
                .sorted()
                .toList();
        assertEquals(List.of(), own, "channel settings that bypass kafka.*");
    }
}
