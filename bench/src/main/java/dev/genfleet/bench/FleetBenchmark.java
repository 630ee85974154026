package dev.genfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genfleet.client.GenfleetClient;
import dev.genfleet.inference.TextModel;
import dev.genfleet.inference.TextRequest;
import dev.genfleet.inference.text.GptTextModel;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.KafkaClientProperties;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TraceContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The fleet measured against what it is built from, in one run on one machine: the raw text model in
 * this JVM (batch 1 and the worker's batch size) against the same jobs through gateway → Kafka →
 * worker → status view; the gateway's campaign fan-out against the raw Kafka producer; queueing
 * latency on an idle and on a loaded fleet; peak RSS of gateway and worker. Prints a Markdown table
 * and the summary line, and saves both under {@code bench/results/}.
 *
 * <pre>FleetBenchmark &lt;repo&gt; &lt;gateway url&gt; &lt;api key&gt; &lt;Kafka client properties file&gt; &lt;run dir&gt; [tiny|full]</pre>
 */
public final class FleetBenchmark {

    /** Same parameters for raw and fleet: 48 tokens, no stop sequence, so every job does the same work. */
    static final int MAX_TOKENS = 48;

    static final String PROMPT = "Hi Maria, ";

    private final Path repo;
    private final GenfleetClient client;
    private final URI gateway;
    private final String apiKey;
    /** The Kafka client settings ({@link KafkaClientProperties}): the benchmark's producer and admin use them. */
    private final Map<String, Object> kafka;

    private final Path runDir;
    private final boolean tiny;
    private final List<String[]> rows = new ArrayList<>();

    FleetBenchmark(Path repo, URI gateway, String apiKey, Map<String, Object> kafka, Path runDir, boolean tiny) {
        this.repo = repo;
        this.gateway = gateway;
        this.apiKey = apiKey;
        this.client = new GenfleetClient(gateway, apiKey);
        this.kafka = kafka;
        this.runDir = runDir;
        this.tiny = tiny;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println(
                    "usage: FleetBenchmark <repo> <gateway url> <api key> <Kafka client properties file> <run dir> [tiny|full]");
            System.exit(2);
        }
        boolean tiny = args.length > 5 && args[5].equals("tiny");
        new FleetBenchmark(
                        Path.of(args[0]),
                        URI.create(args[1]),
                        args[2],
                        KafkaClientProperties.load(Path.of(args[3])),
                        Path.of(args[4]),
                        tiny)
                .run();
    }

    void run() throws Exception {
        int batch = 16;
        double seconds = tiny ? 2 : 20;
        say("raw model in process (copy-gpt, " + MAX_TOKENS + " tokens per job) ...");
        double raw1;
        double rawBatched;
        double rawSingle;
        try (TextModel model = GptTextModel.load(repo.resolve("models/copy-gpt/1"))) {
            rawJobsPerSecond(model, batch, 1); // warm-up
            raw1 = rawJobsPerSecond(model, 1, seconds);
            rawBatched = rawJobsPerSecond(model, batch, seconds);
        }
        // the worker's model always computes its fixed slots (8) per step, so that a row's bits do not depend on
        // its batch; a one-slot instance is the fastest single-row path, and batching must beat that one
        try (TextModel single = GptTextModel.load(repo.resolve("models/copy-gpt/1"), null, 1)) {
            rawJobsPerSecond(single, 1, 1);
            rawSingle = rawJobsPerSecond(single, 1, seconds);
        }
        double best1 = Math.max(raw1, rawSingle);
        row(
                "raw model, batch 1",
                fmt(raw1) + " jobs/s",
                fmt(raw1 * MAX_TOKENS) + " tokens/s",
                "in-process generate(), no Kafka; as the worker runs a lone job (8 slots per step)");
        row(
                "raw model, batch 1, one slot",
                fmt(rawSingle) + " jobs/s",
                fmt(rawSingle * MAX_TOKENS) + " tokens/s",
                "in-process generate(), no Kafka; a model instance with one slot per step, the fastest single row");
        row(
                "raw model, batch " + batch,
                fmt(rawBatched) + " jobs/s",
                fmt(rawBatched * MAX_TOKENS) + " tokens/s",
                "in-process generate(), no Kafka");

        int fleetJobs = tiny ? 40 : 2400;
        // the raw model had its warm-up; so does the fleet (JIT of worker, gateway and view, consumer groups)
        say("fleet warm-up: a campaign of " + fleetJobs + " jobs ...");
        fleetJobsPerSecond(fleetJobs);
        say("fleet at saturation: a campaign of " + fleetJobs + " identical jobs ...");
        Map<String, Double> workerBefore = workerMetrics();
        Map<String, Long> cpuBefore = cpuTicks();
        long fleetStart = System.nanoTime();
        double fleet = fleetJobsPerSecond(fleetJobs);
        double fleetSeconds = (System.nanoTime() - fleetStart) / 1e9;
        Map<String, Long> cpuAfter = cpuTicks();
        Map<String, Double> workerAfter = workerMetrics();
        row(
                "fleet (gateway → Kafka → worker → status view)",
                fmt(fleet) + " jobs/s",
                fmt(fleet * MAX_TOKENS) + " tokens/s",
                "HTTP submit to the last SUCCEEDED seen in the view; 1 text worker");
        double batches = delta(workerBefore, workerAfter, BATCHES);
        if (batches > 0) {
            double busy = delta(workerBefore, workerAfter, BATCH_SECONDS);
            double rowsPerBatch = delta(workerBefore, workerAfter, BATCH_ROWS) / batches;
            row(
                    "where the fleet's time goes: model",
                    "busy " + Math.round(100 * busy / fleetSeconds) + "% of the wall",
                    fmt(1000 * busy / batches) + " ms per batch of " + fmt(rowsPerBatch) + " (raw: "
                            + fmt(1000 * batch / rawBatched) + " ms per " + batch + ")",
                    "worker's genfleet_batch_duration / genfleet_batch_size during the fleet run");
        }
        if (!cpuAfter.isEmpty()) {
            StringBuilder cpu = new StringBuilder();
            for (String component : cpuAfter.keySet()) {
                double cores = (cpuAfter.get(component) - cpuBefore.getOrDefault(component, 0L)) / 100.0 / fleetSeconds;
                cpu.append(cpu.length() == 0 ? "" : ", ")
                        .append(component)
                        .append(' ')
                        .append(fmt2(cores));
            }
            row(
                    "where the fleet's time goes: CPU",
                    "cores used",
                    cpu.toString(),
                    "utime+stime from /proc during the fleet run, out of "
                            + Runtime.getRuntime().availableProcessors());
        }
        long workerRss = peakRssKb("worker-text-1");

        int probes = tiny ? 20 : 200;
        say("queueing latency: " + probes + " sequential interactive jobs on an idle fleet ...");
        queueLatencies(probes / 10); // warm-up: the fleet settles after the saturation run (view, commits, GC)
        double[] idle = queueLatencies(probes);
        row(
                "queue latency, idle (accepted → STARTED)",
                "p50 " + fmt(pct(idle, 50)) + " ms",
                "p95 " + fmt(pct(idle, 95)) + " ms, p99 " + fmt(pct(idle, 99)) + " ms",
                probes + " jobs, max_tokens 1");
        say("queueing latency under a bulk backlog ...");
        String backlog = campaign(tiny ? 200 : 3000, "bench-backlog");
        while (client.campaign(backlog).path("counts").path("succeeded").asLong() < 16) {
            Thread.sleep(20); // the pool is busy with the backlog before the first probe
        }
        double[] loaded = queueLatencies(tiny ? 10 : 50);
        row(
                "queue latency, bulk backlog (interactive)",
                "p50 " + fmt(pct(loaded, 50)) + " ms",
                "p95 " + fmt(pct(loaded, 95)) + " ms, p99 " + fmt(pct(loaded, 99)) + " ms",
                "while a bulk campaign saturates the pool");
        cancel(backlog);

        int recipients = tiny ? 2_000 : 100_000;
        say("fan-out: the raw producer, then an NDJSON campaign of " + recipients + " recipients ...");
        double producer = producerRecordsPerSecond(recipients / 10, recipients);
        // The text worker is paused (SIGSTOP) during the uploads: its model thread would otherwise take one of
        // this machine's cores from the gateway and the broker, which the raw producer had to itself. The jobs
        // stay queued (no expiry churn) and the campaigns are cancelled afterwards.
        double fanout;
        Thread resume = new Thread(() -> signal("CONT", "worker-text-1")); // also on Ctrl-C during the uploads
        Runtime.getRuntime().addShutdownHook(resume);
        signal("STOP", "worker-text-1");
        try {
            fanoutJobsPerSecond(recipients / 10); // warm-up
            fanout = fanoutJobsPerSecond(recipients);
        } finally {
            signal("CONT", "worker-text-1");
            Runtime.getRuntime().removeShutdownHook(resume);
        }
        long gatewayRss = peakRssKb("gateway");
        row(
                "gateway fan-out (NDJSON upload)",
                fmt(fanout) + " jobs/s",
                "",
                recipients
                        + " recipients, 202 after every record acked (one job record per recipient: the record is its SUBMITTED fact); text worker paused");
        row(
                "raw Kafka producer, same records",
                fmt(producer) + " records/s",
                "",
                "the gateway's producer settings (acks=all, idempotent, linger 2 ms, lz4), same job records and headers");

        row(
                "peak RSS",
                "gateway " + gatewayRss / 1024 + " MB",
                "worker " + workerRss / 1024 + " MB",
                "VmHWM of the processes");
        row(
                "DJL Serving (peer)",
                "not measured",
                "",
                "ai.djl.serving:serving is not on the Maven repository this machine "
                        + "reaches (404 for every version), so the peer cannot be built here");

        String summary = String.format(
                Locale.ROOT,
                "fleet_vs_raw=%.2f batching_gain=%.2f fanout_vs_producer=%.2f fleet_vs_djl_serving=NA queue_p99_ms=%.0f queue_p99_loaded_ms=%.0f",
                fleet / rawBatched,
                rawBatched / best1,
                fanout / producer,
                pct(idle, 99),
                pct(loaded, 99));
        StringBuilder md = new StringBuilder();
        md.append("# genfleet benchmark ")
                .append(LocalDate.now())
                .append(" (")
                .append(commit())
                .append(")\n\n");
        md.append("Machine: ").append(machine()).append("\n\n");
        md.append("| measure | figure | | what it includes |\n|---|---|---|---|\n");
        rows.forEach(r -> md.append("| ").append(String.join(" | ", r)).append(" |\n"));
        md.append("\nRatios: fleet / raw(batch ")
                .append(batch)
                .append(") = ")
                .append(fmt2(fleet / rawBatched))
                .append(", batched / best batch-1 = ")
                .append(fmt2(rawBatched / best1))
                .append(" (against the worker's 8-slot batch-1 path: ")
                .append(fmt2(rawBatched / raw1))
                .append(')')
                .append(", fan-out / producer = ")
                .append(fmt2(fanout / producer))
                .append("\n\n");
        md.append(summary).append('\n');
        System.out.println();
        System.out.print(md);
        Path results = repo.resolve("bench/results");
        Files.createDirectories(results);
        Path file = results.resolve(LocalDate.now() + "-" + commit() + (tiny ? "-tiny" : "") + ".md");
        Files.writeString(file, md);
        System.out.println("saved " + repo.relativize(file));
    }

    // -------------------------------------------------------------------------------------------- phases

    static double rawJobsPerSecond(TextModel model, int batch, double seconds) {
        long start = System.nanoTime();
        long jobs = 0;
        int round = 0;
        do {
            List<TextRequest> requests = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                requests.add(new TextRequest(PROMPT, MAX_TOKENS, 0.8, 0, 0.95, List.of(), round * 1000L + i));
            }
            jobs += model.generate(requests).size();
            round++;
        } while ((System.nanoTime() - start) / 1e9 < seconds);
        return jobs / ((System.nanoTime() - start) / 1e9);
    }

    private double fleetJobsPerSecond(int jobs) throws InterruptedException {
        long start = System.nanoTime();
        String id = campaign(jobs, "bench-fleet");
        while (client.campaign(id).path("counts").path("succeeded").asLong() < jobs) {
            Thread.sleep(100);
        }
        return jobs / ((System.nanoTime() - start) / 1e9);
    }

    private String campaign(int recipients, String name) {
        ObjectNode body = GenfleetClient.mapper().createObjectNode();
        body.put("name", name).put("model", "copy-gpt");
        body.putObject("template").put("prompt", "Hi {{first_name}}, ");
        body.putObject("input")
                .put("max_tokens", MAX_TOKENS)
                .put("temperature", 0.8)
                .put("top_p", 0.95);
        ArrayNode list = body.putArray("recipients");
        for (int i = 0; i < recipients; i++) {
            list.addObject().put("custom_id", "b" + i).putObject("vars").put("first_name", "Maria");
        }
        return client.submitCampaign(body).path("id").asText();
    }

    private void cancel(String campaign) {
        try {
            HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(gateway.resolve("/v1/campaigns/" + campaign + "/cancel"))
                                    .header("Authorization", "Bearer " + apiKey)
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            say("cancel failed: " + e.getMessage());
        }
    }

    /** Recipients accepted per second for a streamed NDJSON upload; the jobs expire at once, unprocessed. */
    private double fanoutJobsPerSecond(int recipients) throws Exception {
        String header = "{\"name\":\"bench-fanout\",\"model\":\"copy-gpt\",\"ttl_seconds\":3600,"
                + "\"template\":{\"prompt\":\"Hi {{first_name}}, \"},\"input\":{\"max_tokens\":" + MAX_TOKENS + "}}\n";
        InputStream body = new InputStream() {
            private int line = -1;
            private byte[] current = header.getBytes(StandardCharsets.UTF_8);
            private int pos;

            @Override
            public int read() {
                while (pos >= current.length) {
                    if (++line >= recipients) {
                        return -1;
                    }
                    current = ("{\"custom_id\":\"f" + line + "\",\"vars\":{\"first_name\":\"Maria\"}}\n")
                            .getBytes(StandardCharsets.UTF_8);
                    pos = 0;
                }
                return current[pos++] & 0xff;
            }
        };
        long start = System.nanoTime();
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(gateway.resolve("/v1/campaigns"))
                                .timeout(Duration.ofMinutes(10))
                                .header("Authorization", "Bearer " + apiKey)
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new java.io.BufferedInputStream(body, 65536)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        double secs = (System.nanoTime() - start) / 1e9;
        if (response.statusCode() != 202) {
            throw new IllegalStateException(
                    "fan-out upload answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode summary = GenfleetClient.mapper().readTree(response.body());
        cancel(summary.path("id").asText());
        return summary.path("queued").asLong() / secs;
    }

    /**
     * The raw producer with records like the gateway's: an encoded JobRequest of the same size, same settings.
     * One producer and one topic for the warm-up and the measured run.
     */
    private double producerRecordsPerSecond(int warmup, int records) throws Exception {
        EventCodec codec = EventCodec.forComponent("gateway");
        String topic = "genfleet.bench.producer-" + UUID.randomUUID().toString().substring(0, 8);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(kafka)) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 12, (short) 1)))
                    .all()
                    .get();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("partitions of " + topic + " have no leader after 30 s");
                }
                Thread.sleep(50);
            }
            Map<String, Object> producerConfig = new HashMap<>(kafka);
            // the gateway's EventPublisher settings
            producerConfig.putAll(Map.of(
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    true,
                    ProducerConfig.LINGER_MS_CONFIG,
                    2,
                    ProducerConfig.COMPRESSION_TYPE_CONFIG,
                    "lz4"));
            try (var producer =
                    new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
                send(producer, codec, topic, warmup);
                long start = System.nanoTime();
                send(producer, codec, topic, records);
                return records / ((System.nanoTime() - start) / 1e9);
            } finally {
                admin.deleteTopics(List.of(topic)).all().get();
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, EventCodec codec, String topic, int records)
            throws Exception {
        CountDownLatch acked = new CountDownLatch(records);
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (int i = 0; i < records; i++) {
            JobRequest job = new JobRequest(
                    UUID.randomUUID().toString(),
                    "tenant-a",
                    "c-bench",
                    "f" + i,
                    "copy-gpt",
                    Priority.BULK,
                    new TextInput("Hi Maria, ", MAX_TOKENS, 1.0, 0, 1.0, List.of(), i),
                    Instant.now(),
                    Instant.now().plusSeconds(1),
                    1,
                    null,
                    null);
            producer.send(codec.encode(topic, job, TraceContext.NONE), (m, e) -> {
                if (e != null) {
                    failure.set(e);
                }
                acked.countDown();
            });
        }
        acked.await();
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Sequential interactive one-token jobs: milliseconds from the gateway's accept to the worker's STARTED. */
    private double[] queueLatencies(int probes) throws InterruptedException {
        double[] out = new double[probes];
        for (int i = 0; i < probes; i++) {
            ObjectNode job = GenfleetClient.mapper()
                    .createObjectNode()
                    .put("model", "copy-gpt")
                    .put("priority", "interactive");
            job.putObject("input").put("prompt", PROMPT).put("max_tokens", 1).put("seed", i);
            String id = client.submitJob(job).path("id").asText();
            JsonNode view;
            while (!(view = client.job(id)).path("terminal").asBoolean()) {
                Thread.sleep(5);
            }
            out[i] = Duration.between(
                                    Instant.parse(view.path("submitted_at").asText()),
                                    Instant.parse(view.path("started_at").asText()))
                            .toNanos()
                    / 1e6;
        }
        Arrays.sort(out);
        return out;
    }

    // ------------------------------------------------------------------------------------------ helpers

    static final String BATCHES = "genfleet_batch_duration_seconds_count";
    static final String BATCH_SECONDS = "genfleet_batch_duration_seconds_sum";
    static final String BATCH_ROWS = "genfleet_batch_size_sum";

    /** The text worker's batch counters (Prometheus text from its /q/metrics), empty when it cannot be read. */
    private Map<String, Double> workerMetrics() {
        Map<String, Double> out = new java.util.HashMap<>();
        try {
            String port = Files.readString(runDir.resolve("worker-text-1.management-port"))
                    .trim();
            String text = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            for (String line : text.split("\n")) {
                for (String name : List.of(BATCHES, BATCH_SECONDS, BATCH_ROWS)) {
                    if (line.startsWith(name + "{") && line.contains("model=\"copy-gpt\"")) {
                        out.put(name, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            say("no worker metrics: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
    }

    /** CPU clock ticks (utime + stime, 100 per second on Linux) of the fleet's processes, by component. */
    private Map<String, Long> cpuTicks() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (String component : List.of("worker-text-1", "gateway", "broker")) {
            try {
                String pid =
                        Files.readString(runDir.resolve(component + ".pid")).trim();
                String stat = Files.readString(Path.of("/proc", pid, "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out.put(component, Long.parseLong(f[11]) + Long.parseLong(f[12]));
            } catch (IOException | RuntimeException e) {
                say("no CPU figure for " + component + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** Sends a signal (STOP, CONT) to a fleet process by its pid file. */
    private void signal(String name, String component) {
        try {
            String pid = Files.readString(runDir.resolve(component + ".pid")).trim();
            int rc = new ProcessBuilder("kill", "-" + name, pid)
                    .inheritIO()
                    .start()
                    .waitFor();
            if (rc != 0) {
                say("kill -" + name + " " + component + " answered " + rc);
            }
        } catch (IOException e) {
            say("cannot signal " + component + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long peakRssKb(String component) {
        try {
            String pid = Files.readString(runDir.resolve(component + ".pid")).trim();
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            say("no RSS for " + component + ": " + e.getMessage());
        }
        return -1;
    }

    static double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                    .directory(repo.toFile())
                    .start();
            return new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String machine() {
        String cpu = "unknown cpu";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 2))
                    .orElse(cpu);
        } catch (IOException ignored) {
            // not Linux
        }
        return String.format(
                Locale.ROOT,
                "%d cores (%s), %d GiB, Java %s, %s %s",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                totalMemoryGiB(),
                System.getProperty("java.version"),
                System.getProperty("os.name"),
                System.getProperty("os.arch"));
    }

    private static long totalMemoryGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024 / 1024;
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return -1;
    }

    private void row(String... cells) {
        rows.add(cells);
        System.out.println("  " + String.join(" | ", cells));
    }

    private static void say(String text) {
        System.out.println(text);
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
