package dev.genfleet.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genfleet.gateway.GatewayProcess;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.testkit.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Campaign fan-out rate vs the raw Kafka producer rate, on the same machine and broker in one run. Not
 * a test: run it with (after {@code ./mvnw -pl gateway package -DskipTests})
 *
 * <pre>
 * ./mvnw -o -q -pl gateway exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.genfleet.gateway.bench.FanoutBenchmark -Dexec.args="100000"
 * </pre>
 *
 * <ol>
 * <li>Broker: {@code GENFLEET_BENCH_KAFKA} (bootstrap) or the embedded broker from testkit.</li>
 * <li>Gateway: the packaged jar as its own JVM with {@code -Xmx256m} (so a gateway that held the
 * recipient list would fail), then a streamed NDJSON campaign of N recipients, timed from the first
 * byte to the 202 (which the gateway sends after Kafka acknowledged every record).</li>
 * <li>Producer: one {@link KafkaProducer} with the gateway's settings ({@code acks=all}, idempotent,
 * lz4, linger 2 ms) sends the same records the gateway would — one JobRequest per job (the record the
 * status view learns SUBMITTED from) with its request-hash header, encoded with the same codec — to a topic
 * with as many partitions, timed to the last acknowledgement.</li>
 * </ol>
 * Prints a Markdown table, the gateway's heap before and after the upload, and
 * {@code fanout_vs_producer=<gateway jobs/s ÷ producer jobs/s>}.
 */
public final class FanoutBenchmark {

    static final String KEY = "bench-key";
    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int recipients = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 100_000;
        String external = System.getenv("GENFLEET_BENCH_KAFKA");
        EmbeddedKafkaBroker broker = null;
        String bootstrap;
        if (external != null && !external.isBlank()) {
            bootstrap = external.strip();
        } else {
            broker = EmbeddedKafkaBroker.create().start();
            bootstrap = broker.bootstrapServers();
        }
        System.err.printf("broker %s, %d recipients%n", bootstrap, recipients);
        try (GatewayProcess gateway = GatewayProcess.start(
                bootstrap,
                GatewayProcess.TARGET.resolve("bench-gateway.log"),
                List.of("-Xmx256m"),
                List.of(
                        "genfleet.gateway.auth.keys." + Hashes.sha256Hex(KEY.getBytes(StandardCharsets.UTF_8))
                                + "=bench",
                        "genfleet.gateway.webhooks.enabled=false"))) {
            awaitReady(gateway);
            String rawTopic = createTopic(bootstrap, partitions(bootstrap, "genfleet.jobs.text.bulk"));
            upload(gateway, 2_000); // warm-up: JIT, producer connections, topic metadata
            Heap before = heap(gateway);
            long t0 = System.nanoTime();
            JsonNode summary = upload(gateway, recipients);
            double gatewaySeconds = (System.nanoTime() - t0) / 1e9;
            Heap after = heap(gateway);
            long queued = summary.get("queued").asLong();

            rawProducer(bootstrap, rawTopic, 2_000); // warm-up, as for the gateway
            Result producer = rawProducer(bootstrap, rawTopic, recipients);

            double gatewayRate = queued / gatewaySeconds;
            double producerRate = recipients / producer.seconds();
            System.out.println();
            System.out.println("| path | jobs | Kafka records | seconds | jobs/s | records/s |");
            System.out.println("|---|---:|---:|---:|---:|---:|");
            System.out.printf(
                    Locale.ROOT,
                    "| gateway: POST /v1/campaigns (NDJSON, streamed) | %d | %d | %.2f | %.0f | %.0f |%n",
                    queued,
                    queued,
                    gatewaySeconds,
                    gatewayRate,
                    queued / gatewaySeconds);
            System.out.printf(
                    Locale.ROOT,
                    "| raw KafkaProducer (acks=all, idempotent), same records | %d | %d | %.2f | %.0f | %.0f |%n",
                    recipients,
                    (long) recipients,
                    producer.seconds(),
                    producerRate,
                    recipients / producer.seconds());
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "record size: job request %d B (CloudEvent data, before headers)%n",
                    producer.jobBytes());
            System.out.printf(
                    Locale.ROOT,
                    "gateway heap (-Xmx256m): used %.1f MiB before, %.1f MiB after the upload;"
                            + " live after last GC %.1f MiB before, %.1f MiB after%n",
                    before.used() / 1048576.0,
                    after.used() / 1048576.0,
                    before.live() / 1048576.0,
                    after.live() / 1048576.0);
            System.out.printf(Locale.ROOT, "fanout_vs_producer=%.3f%n", gatewayRate / producerRate);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        System.exit(0);
    }

    static void awaitReady(GatewayProcess gateway) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!gateway.alive()) {
                throw new IllegalStateException("the gateway exited; see target/bench-gateway.log");
            }
            if (gateway.get("/v1/models", "Bearer " + KEY).status() == 200) {
                return;
            }
            Thread.sleep(500); // a main program polling a process, not a test
        }
        throw new IllegalStateException("the gateway did not start in 3 minutes");
    }

    static JsonNode upload(GatewayProcess gateway, int recipients) throws IOException {
        GatewayProcess.Answer a = gateway.post(
                "/v1/campaigns",
                "Bearer " + KEY,
                "application/x-ndjson",
                HttpRequest.BodyPublishers.ofInputStream(() -> new Recipients(recipients)));
        if (a.status() != 202) {
            throw new IllegalStateException("campaign refused: " + a.status() + " " + a.body());
        }
        return JSON.readTree(a.body());
    }

    /** An NDJSON campaign generated as it is read: the client holds no list either. */
    static final class Recipients extends InputStream {
        private final int count;
        private int next = -1;
        private byte[] line = new byte[0];
        private int pos;

        Recipients(int count) {
            this.count = count;
        }

        private boolean fill() {
            while (pos >= line.length) {
                if (next >= count) {
                    return false;
                }
                String text = next < 0
                        ? "{\"name\":\"bench\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"Write a one-line"
                                + " offer for {{first_name}} about {{product}}.\"},\"params\":{\"product\":\"the Trail 2"
                                + " running shoe\"},\"input\":{\"max_tokens\":48}}\n"
                        : "{\"custom_id\":\"c" + next + "\",\"vars\":{\"first_name\":\"Name" + next + "\"}}\n";
                line = text.getBytes(StandardCharsets.UTF_8);
                pos = 0;
                next++;
            }
            return true;
        }

        @Override
        public int read() {
            return fill() ? line[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len && fill()) {
                int k = Math.min(len - n, line.length - pos);
                System.arraycopy(line, pos, b, off + n, k);
                pos += k;
                n += k;
            }
            return n == 0 ? -1 : n;
        }
    }

    record Heap(long used, long live) {}

    /** Heap figures from the gateway's Prometheus endpoint. */
    static Heap heap(GatewayProcess gateway) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(gateway.managementBase() + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        long used = 0;
        long live = 0;
        for (String line : r.body().lines().toList()) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                used += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                live = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new Heap(used, live);
    }

    static int partitions(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            return admin.describeTopics(Set.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .size();
        }
    }

    record Result(double seconds, int jobBytes) {}

    /** The same records the gateway writes per recipient, from one producer with the gateway's settings. */
    static Result rawProducer(String bootstrap, String topic, int jobs) throws Exception {
        EventCodec codec = EventCodec.forComponent("gateway");
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                2,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4");
        int[] sizes = new int[2];
        java.util.concurrent.atomic.AtomicReference<Exception> failures =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.partitionsFor(topic); // metadata outside the timing, as the warmed-up gateway has it
            String campaign = UUID.randomUUID().toString();
            long t0 = System.nanoTime();
            for (int i = 0; i < jobs; i++) {
                String id = UUID.randomUUID().toString();
                Instant now = Instant.now();
                TextInput input = new TextInput(
                        "Write a one-line offer for Name" + i + " about the Trail 2 running shoe.",
                        48,
                        1.0,
                        0,
                        1.0,
                        null,
                        (long) i);
                JobRequest job = new JobRequest(
                        id, "bench", campaign, "c" + i, "copy-gpt", Priority.BULK, input, now, null, 1, null, Map.of());
                ProducerRecord<String, byte[]> a = codec.encode(topic, job, TraceContext.NONE);
                a.headers()
                        .add(
                                "genfleet-request-sha256",
                                Hashes.inputSha256(input).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sizes[0] = a.value().length;
                producer.send(a, (m, e) -> failures.compareAndSet(null, e));
            }
            producer.flush();
            if (failures.get() != null) {
                throw new IllegalStateException("the raw producer failed", failures.get());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Result(seconds, sizes[0]);
        }
    }

    /** A fresh topic for the raw producer with as many partitions as the campaign's jobs topic. */
    static String createTopic(String bootstrap, int partitions) throws Exception {
        String topic = "bench.raw." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try {
                    if (admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                        break;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    // not yet in the metadata
                }
                Thread.sleep(100); // leaders are elected asynchronously after creation
            }
        }
        return topic;
    }
}
