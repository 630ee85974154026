package dev.genfleet.worker.consume;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.BlobRef;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.ImageArtifact;
import dev.genfleet.schemas.ImageInput;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.testkit.KafkaBrokers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged worker with a blob store whose {@code inline-max-bytes} every banner exceeds: the job succeeds, its
 * committed result names each image by {@code blob:sha256:<hex>} with no inline bytes, and the blob under that name
 * holds exactly the bytes the artifact's sha256 describes (written before the transaction committed).
 */
class ClaimCheckIT {

    private static final Duration WAIT = Duration.ofSeconds(150);
    private final EventCodec codec = EventCodec.forComponent("claim-check-test");
    private final String bootstrap = KafkaBrokers.bootstrapServers();

    @Test
    void shouldPublishLargeImagesByClaimCheckWithTheirBlobsInTheStore(@TempDir Path blobs) throws Exception {
        String pool = "claim" + UUID.randomUUID().toString().substring(0, 6);
        String results = "genfleet.results." + pool;
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(
                            new NewTopic(results, 1, (short) 1),
                            new NewTopic(Topics.defaults().jobs(pool, Priority.INTERACTIVE), 1, (short) 1)))
                    .all()
                    .get();
        }
        JobRequest job = new JobRequest(
                "job-claim-" + UUID.randomUUID(),
                "acme",
                null,
                null,
                "banner-gan",
                Priority.INTERACTIVE,
                new ImageInput(42, 2, null, 2, null),
                Instant.now(),
                null,
                1,
                null,
                null);
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(codec.encode(Topics.defaults().jobs(pool, Priority.INTERACTIVE), job, TraceContext.NONE))
                    .get();
        }
        try (WorkerProcess worker = WorkerProcess.start(
                bootstrap,
                pool + "-w",
                pool,
                Map.of(
                        "genfleet.worker.models",
                        "banner-gan",
                        "genfleet.worker.topics.results",
                        results,
                        "genfleet.worker.blobs.dir",
                        blobs.toString(),
                        "genfleet.worker.blobs.inline-max-bytes",
                        "64"))) {
            await().atMost(WAIT).until(() -> !results(results).isEmpty());
            List<JobResult> found = results(results);
            assertEquals(1, found.size(), found + "\n" + worker.output());
            JobResult result = found.get(0);
            assertEquals("SUCCEEDED", result.status().name(), worker.output());
            List<ImageArtifact> images = ((ImageOutput) result.output()).images();
            assertEquals(2, images.size());
            for (ImageArtifact image : images) {
                assertNull(image.data(), "a claim-checked image carries no bytes");
                assertEquals("blob:sha256:" + image.sha256(), image.ref());
                Path blob = blobs.resolve("sha256")
                        .resolve(image.sha256().substring(0, 2))
                        .resolve(image.sha256());
                byte[] png = Files.readAllBytes(blob);
                assertEquals(image.sha256(), Hashes.sha256Hex(png));
                assertTrue(png.length > 64 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG");
                assertEquals(
                        blob,
                        blobs.resolve(BlobRef.parse(image.ref()).orElseThrow().relativePath()));
            }
            try (Stream<Path> files = Files.walk(blobs)) {
                assertEquals(
                        2, files.filter(Files::isRegularFile).count(), "two blobs and no temporary file left behind");
            }
        }
    }

    private List<JobResult> results(String topic) {
        List<JobResult> found = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TopicReads.readAll(bootstrap, topic, "read_committed")) {
            if (codec.decode(r, JobResult.class) instanceof Decoded.Ok<JobResult> ok) {
                found.add(ok.payload());
            }
        }
        return found;
    }
}
