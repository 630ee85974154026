package dev.genfleet.gateway.secure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.genfleet.gateway.kafka.KafkaClients;
import dev.genfleet.gateway.kafka.KafkaClients.Kind;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * Every Kafka client of the gateway takes its connection and security settings from one place: Quarkus'
 * {@code kafka.*} configuration, which the chart, {@code ./genfleet up --secure} and the secured tests
 * ({@code SecuredGatewayIT}) set. Only {@link KafkaClients} builds clients, each gets every shared security
 * setting, no caller can replace them, and Kafka Streams has no copy of its own.
 */
class KafkaClientSettingsTest {

    /** What the chart and SecuredKafkaBrokerResource give as kafka.*, plus what Quarkus adds for itself. */
    static final Map<String, Object> SHARED = Map.of(
            "bootstrap.servers", "kafka:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
            "ssl.truststore.location", "/etc/genfleet/kafka-ca/ca.crt",
            "ssl.truststore.type", "PEM",
            "group.id", "genfleet-gateway");

    static final Set<String> SECURITY = Set.of(
            "bootstrap.servers",
            "security.protocol",
            "sasl.mechanism",
            "sasl.jaas.config",
            "ssl.truststore.location",
            "ssl.truststore.type");

    @Test
    void shouldGiveEveryKindOfClientEverySharedSecuritySetting() {
        for (Kind kind : Kind.values()) {
            Map<String, Object> s = KafkaClients.settings(SHARED, kind, "some-client", Map.of("linger.ms", 2));
            for (String key : SECURITY) {
                assertEquals(SHARED.get(key), s.get(key), kind + " " + key);
            }
            assertEquals("genfleet-gateway-some-client", s.get("client.id"));
        }
        // a setting a kind of client does not know stays out (an admin client has no group)
        assertEquals(
                null, KafkaClients.settings(SHARED, Kind.ADMIN, "a", Map.of()).get("group.id"));
    }

    @Test
    void shouldRefuseAClientThatSetsItsOwnConnectionOrSecurity() {
        for (String key :
                List.of("bootstrap.servers", "security.protocol", "sasl.jaas.config", "ssl.keystore.location")) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> KafkaClients.settings(SHARED, Kind.PRODUCER, "p", Map.of(key, "x")),
                    key);
        }
    }

    @Test
    void noGatewayClassBuildsAKafkaClientOutsideKafkaClients() {
        Set<String> clients = Set.of(
                org.apache.kafka.clients.producer.KafkaProducer.class.getName(),
                org.apache.kafka.clients.consumer.KafkaConsumer.class.getName(),
                org.apache.kafka.clients.admin.KafkaAdminClient.class.getName(),
                org.apache.kafka.streams.KafkaStreams.class.getName());
        DescribedPredicate<JavaConstructorCall> newClient = DescribedPredicate.describe(
                "construct a Kafka client",
                call -> clients.contains(call.getTargetOwner().getName()));
        DescribedPredicate<JavaMethodCall> createAdmin = DescribedPredicate.describe(
                "create an admin client",
                call -> call.getTargetOwner().isAssignableTo(Admin.class)
                        && call.getName().equals("create"));
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.genfleet.gateway.kafka..")
                .should()
                .callConstructorWhere(newClient)
                .orShould()
                .callMethodWhere(createAdmin)
                .because("a client built elsewhere could miss kafka.security.protocol, kafka.sasl.* and kafka.ssl.*:"
                        + " build it through KafkaClients")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.genfleet.gateway"));
    }

    /** Kafka Streams merges kafka.* (Quarkus' default-kafka-broker) itself: a copy here could only drift. */
    @Test
    void noKafkaStreamsSettingRepeatsTheConnectionOrSecurity() throws IOException {
        Pattern connection = Pattern.compile(
                "(quarkus\\.)?kafka-streams\\.(bootstrap[.-]servers|security\\.protocol|sasl\\..*|ssl\\..*)");
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            p.load(in);
        }
        List<String> own = p.stringPropertyNames().stream()
                .map(k -> k.replaceFirst("^%[^.]+\\.", ""))
                .filter(k -> connection.matcher(k).matches())
                .sorted()
                .toList();
        assertEquals(List.of(), own, "Kafka Streams settings that bypass kafka.*");
    }
}
