package dev.genfleet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientPropertiesTest {

    @Test
    void shouldTakeEverySettingOfTheFileOverTheToolsDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("admin.properties");
        Files.writeString(file, """
                bootstrap.servers=127.0.0.1:9092
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                request.timeout.ms=9000
                """);

        Map<String, Object> config =
                KafkaClientProperties.load(file, Map.of("request.timeout.ms", 5000, "default.api.timeout.ms", 8000));

        assertEquals("SASL_SSL", config.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", config.get("sasl.mechanism"));
        assertEquals("9000", config.get("request.timeout.ms"), "the file wins over a default");
        assertEquals(8000, config.get("default.api.timeout.ms"), "a default the file does not set stays");
    }

    @Test
    void shouldRefuseAMissingFileOrOneWithoutBootstrapServersNamingTheFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.properties");
        var e = assertThrows(IllegalArgumentException.class, () -> KafkaClientProperties.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("GENFLEET_KAFKA_CONFIG"));

        Path empty = dir.resolve("empty.properties");
        Files.writeString(empty, "security.protocol=SSL\n");
        e = assertThrows(IllegalArgumentException.class, () -> KafkaClientProperties.load(empty));
        assertTrue(e.getMessage().contains("bootstrap.servers"), e.getMessage());
    }
}
