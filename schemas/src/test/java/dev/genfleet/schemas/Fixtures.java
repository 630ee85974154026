package dev.genfleet.schemas;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Committed v1 records: {@code fixtures/v1/<name>.value.json} holds the exact Kafka value bytes and
 * {@code <name>.headers.json} the Kafka headers (the {@code ce_*} attributes). They were written once
 * by {@link #main} from {@link Samples#all()}; a v1 reader must read them forever.
 */
final class Fixtures {

    static final List<String> NAMES = List.of(
            "job-request-text",
            "job-request-image",
            "job-result-text",
            "job-result-image",
            "job-result-dead-lettered",
            "audit-succeeded",
            "audit-rejected",
            "control-cancel-job",
            "control-cancel-campaign",
            "dead-letter",
            "model-announcement",
            "audit-redriven");

    private Fixtures() {}

    static byte[] value(String name) {
        return resource("fixtures/v1/" + name + ".value.json");
    }

    static RecordHeaders headers(String name) {
        try {
            Map<String, String> map = Json.mapper()
                    .readValue(
                            resource("fixtures/v1/" + name + ".headers.json"),
                            new TypeReference<LinkedHashMap<String, String>>() {});
            RecordHeaders headers = new RecordHeaders();
            map.forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
            return headers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String path) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the fixtures into {@code args[0]} (run once; the files are committed). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        EventCodec codec = EventCodec.forComponent("fixtures");
        List<GenfleetPayload> samples = Samples.all();
        for (int i = 0; i < NAMES.size(); i++) {
            ProducerRecord<String, byte[]> record = codec.encode(
                    "fixture",
                    samples.get(i),
                    TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header h : record.headers()) {
                headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
            Files.write(dir.resolve(NAMES.get(i) + ".value.json"), record.value());
            Files.write(
                    dir.resolve(NAMES.get(i) + ".headers.json"),
                    Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(headers));
        }
    }
}
