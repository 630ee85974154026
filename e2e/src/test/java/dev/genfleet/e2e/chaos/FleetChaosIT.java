package dev.genfleet.e2e.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genfleet.client.GenfleetClient;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chaos suite of issue 15 on the real local fleet ({@code ./genfleet up}: a KRaft broker, the gateway
 * and one worker per pool, each its own process on 127.0.0.1). During a campaign of {@value #RECIPIENTS}
 * text jobs uploaded as NDJSON (plus {@value #SINGLE_JOBS} single jobs with a webhook), it SIGKILLs
 *
 * <ul>
 * <li>the gateway in the middle of the upload, restarts it, and lets the client retry as the upload
 * protocol says (same {@code Idempotency-Key} and body, {@code Retry-After} honoured);</li>
 * <li>the text worker at least {@value #MIN_WORKER_KILLS} times, one kill about every 20 s, each aimed at a
 * moment when the broker reports one of its transactions {@code Ongoing}; a kill counts as inside a
 * transaction only when the broker still reports that same transaction open after the worker is dead
 * ({@link TransactionProbe}); at least one must;</li>
 * <li>the broker in the middle of the campaign,</li>
 * </ul>
 *
 * restarting each, while a webhook receiver answers 503 to the first attempts of every message. Then, for
 * every job: exactly one committed result on {@code genfleet.results} (read_committed), the API's status and
 * {@code output_sha256} equal to it, campaign counts equal to the committed outcomes, one campaign for the
 * upload, and each {@code job.finished} (and the {@code campaign.finished}) webhook delivered at least once
 * with the committed outcome. It prints a table of figures (also written to
 * {@code target/chaos-figures.txt}). Bounded: a hard timeout, and every process it started is killed at
 * the end, also on failure.
 */
@Tag("chaos")
class FleetChaosIT {

    static final int RECIPIENTS = 4000;
    static final int SINGLE_JOBS = 60;
    /**
     * Short texts, so the campaign fits in minutes on 2 cores; 4,000 recipients so that it outlasts four kills about
     * 20 s apart even on a quiet machine (3,000 ended after three on 2026-11-30, 125 s after the upload began).
     */
    static final int MAX_TOKENS = 64;

    static final int MIN_WORKER_KILLS = 4;
    static final int MAX_WORKER_KILLS = 8;
    static final Duration KILL_EVERY = Duration.ofSeconds(20);
    /** How long a kill waits for a moment when a worker transaction is open before it kills anyway. */
    static final Duration AIM = Duration.ofSeconds(12);

    static final int WEBHOOK_FAILED_ATTEMPTS = 2;
    static final String WORKER = "worker-text-1";
    static final String WORKER_ID = "local-text-1"; // genfleet.worker.id that ./genfleet gives it

    /**
     * Settings for the fleet's processes (environment, read by Quarkus): an upload lease of 10 s instead of 30
     * (the upload the gateway's death cut off resumes sooner), and a Kafka consumer session of 10 s instead of
     * 45 (every client's {@code kafka.*} default): a SIGKILLed worker never leaves its group, so its partitions
     * wait for its session to expire before the restarted worker gets them; with 45 s and a kill every 20 s the
     * pool would never run a job.
     */
    static final Map<String, String> PROCESS_ENV =
            Map.of("GENFLEET_GATEWAY_LIMITS_CAMPAIGN_LEASE_MS", "10000", "KAFKA_SESSION_TIMEOUT_MS", "10000");

    private static final Path REPO =
            Path.of(System.getProperty("genfleet.repo", "..")).toAbsolutePath().normalize();
    private static final Topics TOPICS = Topics.defaults();

    private final long started = System.nanoTime();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();

    @Test
    @Timeout(value = 14, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldKeepOneCommittedOutcomePerJobThroughSigkillsOfWorkerGatewayAndBroker() throws Exception {
        ChaosFleet fleet = new ChaosFleet(REPO, PROCESS_ENV);
        boolean passed = false;
        try (WebhookReceiver receiver = new WebhookReceiver(WEBHOOK_FAILED_ATTEMPTS)) {
            say("fleet home " + fleet.home());
            fleet.genfleet("up");
            Map<String, String> env = fleet.exported();
            run(
                    fleet,
                    receiver,
                    URI.create(env.get("GENFLEET_URL")),
                    env.get("GENFLEET_API_KEY"),
                    env.get("GENFLEET_KAFKA"));
            passed = violations.isEmpty();
        } finally {
            figures.put("suite wall time", seconds(System.nanoTime() - started));
            printFigures();
            fleet.close(!passed);
            if (!passed) {
                System.out.println("fleet state and logs kept in " + fleet.home());
            }
        }
        assertEquals(List.of(), violations, "the fleet broke its promise; figures above");
    }

    private void run(ChaosFleet fleet, WebhookReceiver receiver, URI gateway, String apiKey, String kafka)
            throws Exception {
        GenfleetClient client = new GenfleetClient(gateway, apiKey);
        KafkaLog log = new KafkaLog(kafka);
        String name = "chaos-" + Long.toHexString(System.nanoTime());
        List<String> lines = ndjson(name, receiver.url());
        CampaignUploader upload =
                new CampaignUploader(gateway, apiKey, name, lines, RECIPIENTS / 3, 150, Duration.ofMinutes(5));
        Map<String, String> singleJobs = new ConcurrentHashMap<>(); // job id -> idempotency key
        AtomicBoolean stop = new AtomicBoolean();
        StalenessSampler staleness;
        int workerKills = 0;
        int proven = 0;
        long brokerKillCommitted;
        long publishedBeforeGatewayKill;
        List<String> killNotes = new ArrayList<>();

        try (KafkaLog.ResultsTail tail = log.new ResultsTail(r -> true); // the fleet is this test's alone
                TransactionProbe probe = new TransactionProbe(kafka, WORKER_ID)) {
            staleness = new StalenessSampler(client, tail, stop);
            Thread sampler = daemon("chaos-staleness", staleness);
            Thread uploader = daemon("chaos-upload", upload);
            Thread singles = daemon(
                    "chaos-single-jobs", () -> submitSingleJobs(gateway, apiKey, receiver.url(), singleJobs, stop));

            // 1. the gateway, SIGKILLed while the NDJSON body streams in; the client retries as the protocol says
            assertTrue(upload.midway.await(2, TimeUnit.MINUTES), "the upload never reached its middle");
            long gatewayPid = fleet.sigkill("gateway");
            int linesAtKill = upload.linesSentByFirstAttempt();
            publishedBeforeGatewayKill = log.recordCount(TOPICS.jobs("text", Priority.BULK));
            say("gateway " + gatewayPid + " SIGKILLed after " + linesAtKill + " of " + lines.size() + " lines; "
                    + publishedBeforeGatewayKill + " recipients were published");
            fleet.genfleet("up");
            say("gateway restarted");

            // 2. the text worker, about every 20 s, aimed inside a transaction; 3. the broker, mid-campaign
            long nextKill = System.nanoTime();
            brokerKillCommitted = -1;
            while (workerKills < MAX_WORKER_KILLS && (workerKills < MIN_WORKER_KILLS || proven == 0)) {
                sleepUntil(nextKill);
                if (workerKills == 2 && brokerKillCommitted < 0) {
                    brokerKillCommitted = tail.committedJobs();
                    long brokerPid = fleet.sigkill("broker");
                    say("broker " + brokerPid + " SIGKILLed with " + brokerKillCommitted + " jobs committed");
                    fleet.genfleet("up");
                    say("broker restarted");
                }
                if (campaignDone(tail, upload, singleJobs)) {
                    say("every job committed before kill " + (workerKills + 1));
                    break;
                }
                nextKill = System.nanoTime() + KILL_EVERY.toNanos();
                String note = killWorker(fleet, probe, ++workerKills, tail);
                killNotes.add(note);
                if (note.contains("inside")) {
                    proven++;
                }
                fleet.genfleet("up");
                say("worker restarted");
                // the next kill lands on a worker that works: not before it committed jobs again (at most a minute)
                int before = tail.committedJobs();
                awaitQuietly(
                        Duration.ofMinutes(1),
                        () -> tail.committedJobs() > before + 20 || campaignDone(tail, upload, singleJobs));
            }
            upload.done.await(3, TimeUnit.MINUTES);
            JsonNode accepted = upload.accepted();
            String campaignId = accepted.path("id").asText();
            say("upload accepted: " + upload.attempts);

            // wait for the end: the campaign FINISHED, every single job final, webhooks in
            awaitQuietly(
                    Duration.ofMinutes(5),
                    () -> "FINISHED"
                            .equals(client.campaign(campaignId).path("status").asText()));
            singles.join(Duration.ofMinutes(2).toMillis());
            awaitQuietly(
                    Duration.ofMinutes(2),
                    () -> singleJobs.keySet().stream()
                            .allMatch(id -> client.job(id).path("terminal").asBoolean()));
            awaitQuietly(
                    Duration.ofMinutes(2),
                    () -> singleJobs.keySet().stream()
                                    .allMatch(id -> !receiver.delivered(id).isEmpty())
                            && !receiver.delivered(campaignId).isEmpty());
            stop.set(true);
            sampler.join(10_000);
            uploader.join(1000);

            figures.put("jobs (campaign recipients + single jobs)", RECIPIENTS + " + " + singleJobs.size());
            figures.put("text worker SIGKILLs (restarted each time)", workerKills);
            figures.put("  of them provably inside an open transaction", proven);
            figures.put("gateway SIGKILLs mid-upload (restarted)", 1);
            figures.put("  recipients published before it died", publishedBeforeGatewayKill + " of " + RECIPIENTS);
            figures.put("  upload attempts until 202", upload.attempts.size());
            figures.put("broker SIGKILLs mid-campaign (restarted)", 1);
            figures.put(
                    "  jobs committed when it died", brokerKillCommitted + " of " + (RECIPIENTS + singleJobs.size()));
            check(workerKills >= MIN_WORKER_KILLS, "only " + workerKills + " worker kills: the campaign ended first");
            check(proven >= 1, "no worker kill provably inside a transaction: " + killNotes);
            check(
                    publishedBeforeGatewayKill > 0 && publishedBeforeGatewayKill < RECIPIENTS,
                    "the gateway did not die mid-upload: " + publishedBeforeGatewayKill + " recipients published");
            check(
                    upload.attempts.get(0).contains("Exception"),
                    "the first upload attempt was not cut by the kill: " + upload.attempts);
            check(
                    brokerKillCommitted >= 0 && brokerKillCommitted < RECIPIENTS,
                    "the broker did not die mid-campaign (" + brokerKillCommitted + " committed)");

            verify(client, log, receiver, name, campaignId, upload, Map.copyOf(singleJobs));
            figures.put("longest view staleness (committed result -> API terminal)", staleness.describe());
            killNotes.forEach(n -> say("  " + n));
        }
    }

    private static boolean campaignDone(
            KafkaLog.ResultsTail tail, CampaignUploader upload, Map<String, String> singleJobs) {
        return upload.done.getCount() == 0 && tail.committedJobs() >= RECIPIENTS + singleJobs.size();
    }

    /** Aims at an open transaction for up to {@link #AIM}, SIGKILLs the worker, and says whether it hit one. */
    private String killWorker(ChaosFleet fleet, TransactionProbe probe, int n, KafkaLog.ResultsTail tail)
            throws Exception {
        ProcessHandle worker = ProcessHandle.of(fleet.pid(WORKER))
                .filter(ProcessHandle::isAlive)
                .orElseThrow(() -> new IllegalStateException("the text worker is not running before kill " + n));
        long aimUntil = System.nanoTime() + AIM.toNanos();
        Optional<TransactionProbe.Open> open = Optional.empty();
        while (open.isEmpty() && System.nanoTime() < aimUntil) {
            open = probe.openNow();
        }
        ChaosFleet.sigkill(worker); // at once: the decision above is microseconds old
        String note;
        if (open.isPresent()) {
            Thread.sleep(500); // requests already on the wire are served; nothing can come after them
            boolean inside = probe.stillOpen(open.get());
            note = "worker kill " + n + " (pid " + worker.pid() + "): "
                    + (inside
                            ? "inside transaction " + open.get() + " (still Ongoing 0.5 s after death)"
                            : "aimed at " + open.get() + ", which ended before the signal");
        } else {
            note = "worker kill " + n + " (pid " + worker.pid() + "): no open transaction seen in " + AIM.toSeconds()
                    + " s";
        }
        say(note + "; " + tail.committedJobs() + " jobs committed");
        return note;
    }

    private void verify(
            GenfleetClient client,
            KafkaLog log,
            WebhookReceiver receiver,
            String name,
            String campaignId,
            CampaignUploader upload,
            Map<String, String> singleJobs)
            throws Exception {
        // the jobs topic: one job id per recipient, all in this one campaign
        Map<String, Set<String>> jobIdsByCustomId = new HashMap<>();
        long jobRecords = 0;
        for (JobRequest r :
                log.readAll(TOPICS.jobs("text", Priority.BULK), KafkaLog.READ_COMMITTED, JobRequest.class)) {
            if (campaignId.equals(r.campaignId())) {
                jobRecords++;
                jobIdsByCustomId
                        .computeIfAbsent(r.customId(), k -> new HashSet<>())
                        .add(r.jobId());
            }
        }
        check(
                jobIdsByCustomId.size() == RECIPIENTS,
                "job records for " + jobIdsByCustomId.size() + " recipients, not " + RECIPIENTS);
        jobIdsByCustomId.forEach(
                (customId, ids) -> check(ids.size() == 1, "recipient " + customId + " has job ids " + ids));
        Set<String> campaignIds = new HashSet<>(upload.campaignIds);
        for (AuditEvent e : log.readAll(TOPICS.audit(), KafkaLog.READ_COMMITTED, AuditEvent.class)) {
            if (e.type() == AuditType.CAMPAIGN_OPENED && name.equals(e.details().get("name"))) {
                campaignIds.add(e.campaignId());
            }
        }
        check(campaignIds.equals(Set.of(campaignId)), "one upload, campaigns " + campaignIds);
        figures.put("campaigns for the one upload", campaignIds.size());
        figures.put("recipient job records published twice (a retried upload)", jobRecords - jobIdsByCustomId.size());
        // a single job retried while its first publish was in doubt (the broker away) may have two records: the
        // workers give the repeat no outcome of its own (RepeatedJobRecordIT), which the checks below hold them to
        long singleRecords = 0;
        for (Priority priority : Priority.values()) {
            for (JobRequest r : log.readAll(TOPICS.jobs("text", priority), KafkaLog.READ_COMMITTED, JobRequest.class)) {
                if (singleJobs.containsKey(r.jobId())) {
                    singleRecords++;
                }
            }
        }
        figures.put("single-job records published twice (a retried POST)", singleRecords - singleJobs.size());

        // genfleet.results: exactly one committed outcome per job; aborted attempts only in the raw log
        Map<String, String> jobs = new TreeMap<>(); // job id -> custom id or "single"
        jobIdsByCustomId.forEach((customId, ids) -> ids.forEach(id -> jobs.put(id, customId)));
        singleJobs.keySet().forEach(id -> jobs.put(id, "single"));
        Map<String, List<JobResult>> committed =
                byJob(log.readAll(TOPICS.results(), KafkaLog.READ_COMMITTED, JobResult.class), jobs.keySet());
        Map<String, List<JobResult>> everything =
                byJob(log.readAll(TOPICS.results(), KafkaLog.READ_UNCOMMITTED, JobResult.class), jobs.keySet());
        long lost =
                jobs.keySet().stream().filter(id -> !committed.containsKey(id)).count();
        long visibleDuplicates =
                committed.values().stream().filter(l -> l.size() > 1).count();
        long aborted = jobs.keySet().stream()
                .mapToLong(id -> everything.getOrDefault(id, List.of()).size()
                        - committed.getOrDefault(id, List.of()).size())
                .sum();
        long jobsWithAborted = jobs.keySet().stream()
                .filter(id -> everything.getOrDefault(id, List.of()).size()
                        > committed.getOrDefault(id, List.of()).size())
                .count();
        figures.put(
                "duplicates seen in the log (aborted result records)", aborted + " (of " + jobsWithAborted + " jobs)");
        figures.put("visible duplicates (jobs with > 1 committed result)", visibleDuplicates);
        figures.put("lost jobs (no committed result)", lost);
        check(
                lost == 0,
                lost + " jobs have no committed result, e.g. "
                        + jobs.keySet().stream()
                                .filter(id -> !committed.containsKey(id))
                                .limit(5)
                                .toList());
        check(
                visibleDuplicates == 0,
                visibleDuplicates + " jobs have more than one committed result, e.g. "
                        + committed.entrySet().stream()
                                .filter(e -> e.getValue().size() > 1)
                                .limit(3)
                                .map(Map.Entry::getKey)
                                .toList());
        Map<String, JobResult> outcome = new HashMap<>();
        committed.forEach((id, l) -> outcome.put(id, l.get(0)));
        Map<JobStatus, Long> statuses = outcome.values().stream()
                .collect(Collectors.groupingBy(JobResult::status, TreeMap::new, Collectors.counting()));
        figures.put("committed outcomes", statuses);

        // the API: status and output_sha256 of every job equal to its committed outcome
        ConcurrentLinkedQueue<String> apiMismatches = new ConcurrentLinkedQueue<>();
        ForkJoinPool pool = new ForkJoinPool(4);
        try {
            pool.submit(() -> jobs.keySet().parallelStream().forEach(id -> {
                        JobResult r = outcome.get(id);
                        if (r == null) {
                            return;
                        }
                        JsonNode api = client.job(id);
                        String sha = r.output() == null ? null : Hashes.outputSha256(r.output());
                        String apiSha = api.hasNonNull("output_sha256")
                                ? api.get("output_sha256").asText()
                                : null;
                        if (!r.status().name().equals(api.path("status").asText()) || !Objects.equals(sha, apiSha)) {
                            apiMismatches.add(id + ": committed " + r.status() + " " + sha + ", API "
                                    + api.path("status").asText() + " " + apiSha);
                        }
                    }))
                    .get(3, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        figures.put("API status/output_sha256 unequal to the committed outcome", apiMismatches.size());
        check(
                apiMismatches.isEmpty(),
                "API disagrees with Kafka: " + apiMismatches.stream().limit(5).toList());

        // the campaign: FINISHED, counts equal to the committed outcomes, /results one line per recipient
        JsonNode campaign = client.campaign(campaignId);
        JsonNode counts = campaign.path("counts");
        Map<String, Long> expected = expectedCounts(jobIdsByCustomId, outcome);
        check("FINISHED".equals(campaign.path("status").asText()), "campaign not FINISHED: " + campaign);
        expected.forEach((k, n) -> check(
                counts.path(k).asLong() == n,
                "campaign count " + k + " = " + counts.path(k) + ", committed " + n + ": " + counts));
        check(
                counts.path("queued").asLong() + counts.path("running").asLong() == 0,
                "campaign still has open jobs: " + counts);
        List<JsonNode> results = client.campaignResults(campaignId);
        Map<String, Long> linesPerRecipient = results.stream()
                .collect(Collectors.groupingBy(l -> l.path("custom_id").asText(), Collectors.counting()));
        check(
                results.size() == RECIPIENTS && linesPerRecipient.size() == RECIPIENTS,
                "/results has " + results.size() + " lines for " + linesPerRecipient.size() + " recipients");
        for (JsonNode line : results) {
            JobResult r = outcome.get(line.path("job_id").asText());
            check(
                    r != null && r.status().name().equals(line.path("status").asText()),
                    "/results line disagrees with Kafka: " + line);
        }
        figures.put("campaign counts", counts.toString());

        // webhooks: every job.finished (and the campaign.finished) delivered at least once, with the committed outcome
        long undelivered = 0;
        long wrong = 0;
        for (String id : singleJobs.keySet()) {
            JobResult r = outcome.get(id);
            List<WebhookReceiver.Delivery> got = receiver.delivered(id).stream()
                    .filter(d -> d.type().equals("job.finished"))
                    .toList();
            if (got.isEmpty()) {
                undelivered++;
            }
            for (WebhookReceiver.Delivery d : got) {
                String sha = r == null || r.output() == null ? null : Hashes.outputSha256(r.output());
                if (r == null
                        || !r.status().name().equals(d.data().path("status").asText())
                        || !Objects.equals(
                                sha,
                                d.data().hasNonNull("output_sha256")
                                        ? d.data().get("output_sha256").asText()
                                        : null)) {
                    wrong++;
                    check(false, "job.finished of " + id + " says " + d.data() + ", committed " + r);
                }
            }
        }
        List<WebhookReceiver.Delivery> campaignHooks = receiver.delivered(campaignId);
        for (WebhookReceiver.Delivery d : campaignHooks) {
            expected.forEach((k, n) ->
                    check(d.data().path("counts").path(k).asLong() == n, "campaign.finished says " + d.data()));
        }
        check(undelivered == 0, undelivered + " job.finished webhooks never delivered");
        check(!campaignHooks.isEmpty(), "campaign.finished never delivered");
        figures.put("webhooks: attempts refused by the receiver (503)", receiver.refusedAttempts());
        figures.put("webhooks: deliveries accepted (job.finished + campaign.finished)", receiver.deliveredCount());
        figures.put(
                "webhooks: never delivered / wrong outcome",
                undelivered + (campaignHooks.isEmpty() ? 1 : 0) + " / " + wrong);
    }

    private static Map<String, Long> expectedCounts(
            Map<String, Set<String>> jobIdsByCustomId, Map<String, JobResult> outcome) {
        Map<String, Long> expected = new TreeMap<>();
        for (String k : List.of("succeeded", "failed", "rejected", "cancelled", "expired")) {
            expected.put(k, 0L);
        }
        jobIdsByCustomId
                .values()
                .forEach(ids -> ids.forEach(id -> {
                    JobResult r = outcome.get(id);
                    if (r != null) {
                        String k = r.status() == JobStatus.DEAD_LETTERED
                                ? "failed"
                                : r.status().name().toLowerCase(Locale.ROOT);
                        expected.merge(k, 1L, Long::sum);
                    }
                }));
        expected.put("total", (long) jobIdsByCustomId.size());
        return expected;
    }

    private static Map<String, List<JobResult>> byJob(List<JobResult> results, Set<String> jobs) {
        return results.stream().filter(r -> jobs.contains(r.jobId())).collect(Collectors.groupingBy(JobResult::jobId));
    }

    private static List<String> ndjson(String name, String webhook) {
        ObjectNode header = GenfleetClient.mapper().createObjectNode();
        header.put("name", name).put("model", "copy-gpt");
        header.putObject("template").put("prompt", "Hi {{first_name}}, ");
        header.putObject("input").put("max_tokens", MAX_TOKENS).put("temperature", 0.8);
        header.putObject("webhook").put("url", webhook);
        List<String> lines = new ArrayList<>(List.of(header.toString()));
        for (int i = 1; i <= RECIPIENTS; i++) {
            ObjectNode r = GenfleetClient.mapper().createObjectNode().put("custom_id", "r-" + i);
            r.putObject("vars").put("first_name", "Guest" + i);
            lines.add(r.toString());
        }
        return lines;
    }

    /** Single jobs with a webhook, one every 1.5 s while the chaos runs; each retried with its key until 202. */
    private static void submitSingleJobs(
            URI gateway, String apiKey, String webhook, Map<String, String> ids, AtomicBoolean stop) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        for (int i = 0; i < SINGLE_JOBS && !stop.get(); i++) {
            ObjectNode body = GenfleetClient.mapper().createObjectNode().put("model", "copy-gpt");
            body.putObject("input")
                    .put("prompt", "Hi Ann" + i + ", ")
                    .put("max_tokens", MAX_TOKENS)
                    .put("temperature", 0.8);
            body.putObject("webhook").put("url", webhook);
            String key = "chaos-single-" + i;
            HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/v1/jobs"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build();
            while (System.nanoTime() < deadline) {
                try {
                    HttpResponse<String> response =
                            http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    if (response.statusCode() == 202 || response.statusCode() == 200) {
                        ids.put(
                                GenfleetClient.mapper()
                                        .readTree(response.body())
                                        .path("id")
                                        .asText(),
                                key);
                        break;
                    }
                    if (response.statusCode() / 100 == 4
                            && response.statusCode() != 409
                            && response.statusCode() != 429) {
                        throw new IllegalStateException("job refused: " + response.body());
                    }
                } catch (IOException e) {
                    // the gateway is down or restarting: the same key again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause(1000);
            }
            pause(1500);
        }
    }

    /**
     * The view's staleness: how long after a job's result became readable to a read_committed consumer the API
     * shows the job terminal. Samples the newest committed job, one at a time; a sample that meets a dead
     * gateway (connection refused) is not counted, one that meets a restarted gateway still replaying is.
     */
    static final class StalenessSampler implements Runnable {
        private final GenfleetClient client;
        private final KafkaLog.ResultsTail tail;
        private final AtomicBoolean stop;
        private final AtomicLong maxNanos = new AtomicLong();
        private final AtomicLong samples = new AtomicLong();
        private final Set<String> sampled = new HashSet<>();

        StalenessSampler(GenfleetClient client, KafkaLog.ResultsTail tail, AtomicBoolean stop) {
            this.client = client;
            this.tail = tail;
            this.stop = stop;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                String id = tail.latest();
                if (id == null || !sampled.add(id)) {
                    pause(100);
                    continue;
                }
                long seen = tail.firstSeenNanos(id);
                long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (!stop.get() && System.nanoTime() < giveUp) {
                    try {
                        if (client.job(id).path("terminal").asBoolean()) {
                            samples.incrementAndGet();
                            maxNanos.accumulateAndGet(System.nanoTime() - seen, Math::max);
                            break;
                        }
                    } catch (GenfleetClient.ApiException notInTheViewYet) {
                        // 404: a restarted view has not read the job yet
                    } catch (UncheckedIOException gatewayDown) {
                        break;
                    }
                    pause(25);
                }
                pause(200);
            }
        }

        String describe() {
            return TimeUnit.NANOSECONDS.toMillis(maxNanos.get()) + " ms (" + samples.get() + " samples)";
        }
    }

    private void check(boolean ok, String violation) {
        if (!ok && violations.size() < 50) {
            violations.add(violation);
        }
    }

    private void printFigures() {
        StringBuilder table = new StringBuilder("\n== chaos suite figures (FleetChaosIT)\n");
        int width = figures.keySet().stream().mapToInt(String::length).max().orElse(10);
        figures.forEach((k, v) -> table.append(String.format("%-" + width + "s  %s%n", k, v)));
        if (!violations.isEmpty()) {
            table.append("violations:\n");
            violations.forEach(v -> table.append("  - ").append(v).append('\n'));
        }
        System.out.println(table);
        try {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "chaos-figures.txt"), table);
        } catch (IOException e) {
            System.err.println("figures not written: " + e);
        }
    }

    private String seconds(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nanos) + " s";
    }

    private void say(String what) {
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " [+" + seconds(System.nanoTime() - started)
                + "] " + what);
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    /** Waits for {@code condition} (exceptions count as "not yet"); false at the timeout. The checks say what failed. */
    private static boolean awaitQuietly(Duration timeout, Condition condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.met()) {
                    return true;
                }
            } catch (Exception notYet) {
                // the gateway restarting, a view replaying
            }
            pause(500);
        }
        return false;
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            pause(TimeUnit.NANOSECONDS.toMillis(wait));
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
