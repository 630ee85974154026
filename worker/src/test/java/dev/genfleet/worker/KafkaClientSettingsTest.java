package dev.genfleet.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.genfleet.worker.config.WorkerConfig;
import dev.genfleet.worker.consume.JobHistory;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
                // the one exception: a rebalance listener that reads back partitions from given offsets, which no
                // channel can do; it takes kafka.* as a whole (shouldGiveTheReadBackConsumerTheSharedSettings)
                .and()
                .doNotHaveFullyQualifiedName(JobHistory.class.getName())
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
    void shouldGiveTheReadBackConsumerTheSharedSettings() {
        Map<String, Object> kafka = Map.of(
                "bootstrap.servers", "127.0.0.1:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "ca.p12",
                "group.id", "not-for-the-reader");
        Map<String, Object> settings = new JobHistory(config("w-1"), kafka).readerSettings();
        kafka.forEach((k, v) -> {
            if (!k.equals("group.id")) {
                assertEquals(v, settings.get(k), k);
            }
        });
        assertFalse(settings.containsKey("group.id"), "it assigns partitions, it joins no group");
        assertEquals("read_committed", settings.get("isolation.level"));
    }

    private static WorkerConfig config(String id) {
        return (WorkerConfig) Proxy.newProxyInstance(
                WorkerConfig.class.getClassLoader(),
                new Class<?>[] {WorkerConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> id;
                    case "duplicateWindow" -> 5000L;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
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
