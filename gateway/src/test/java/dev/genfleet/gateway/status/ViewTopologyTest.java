package dev.genfleet.gateway.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.GenfleetPayload;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.ModelAnnouncement;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status view's real topology ({@link ViewTopology#build(Topics)}) under {@link TopologyTestDriver}: records
 * encoded by the project's {@link EventCodec} go into the jobs, audit and results topics, and the assertions read
 * the stores that {@link StatusView} reads. No broker; each test folds one story of a job or campaign.
 * {@link ViewReducerTest} covers the reducer's orderings in depth; this test covers the wiring around it: topic
 * routing (jobs topics by pattern, pool from the topic name, the request-hash header), decoding and skipping, and
 * the derived stores (campaign index and counts, open jobs per tenant).
 */
class ViewTopologyTest {

    static final Topics TOPICS = Topics.defaults();
    static final String TEXT_INTERACTIVE = TOPICS.jobs("text", Priority.INTERACTIVE);
    static final String TEXT_BULK = TOPICS.jobs("text", Priority.BULK);
    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    static final String TENANT = "acme";
    static final String OTHER = "mallory";

    final EventCodec gatewayCodec = EventCodec.forComponent("gateway");
    final EventCodec workerCodec = EventCodec.forComponent("worker");
    final Map<String, TestInputTopic<String, byte[]>> inputs = new HashMap<>();
    TopologyTestDriver driver;
    int events;

    @TempDir
    Path stateDir;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "genfleet-gateway-view-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(ViewTopology.build(TOPICS), props, T0);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldFollowAJobFromItsRecordThroughStartedToTheResultsOutputAndHash() {
        JobRequest job = job("j1", TENANT, null, null);
        ProducerRecord<String, byte[]> record = gatewayCodec.encode(TEXT_INTERACTIVE, job, null);
        record.headers().add(ViewTopology.REQUEST_SHA256_HEADER, "req-hash".getBytes(StandardCharsets.UTF_8));
        pipe(record);

        JobView submitted = view("j1");
        assertEquals("SUBMITTED", submitted.status());
        assertFalse(submitted.terminal());
        assertEquals(TENANT, submitted.tenant());
        assertEquals(T0, submitted.submittedAt());
        assertEquals("text", submitted.pool(), "the pool comes from the jobs topic's name");
        assertEquals("interactive", submitted.priority());
        assertEquals("req-hash", submitted.requestSha256(), "from the record's header");
        assertEquals(Hashes.inputSha256(job.input()), submitted.inputSha256());
        assertEquals(77L, submitted.seed());
        assertEquals(1, openJobs(TENANT));

        send(TOPICS.audit(), started(job, "w1", 1));
        JobView running = view("j1");
        assertEquals("STARTED", running.status());
        assertEquals(T0.plusSeconds(1), running.startedAt());
        assertTrue(running.workerSeen());
        assertFalse(running.terminal());
        assertEquals(1, openJobs(TENANT));

        TextOutput output = new TextOutput("Hello, world", "stop", 3, 4);
        send(TOPICS.results(), succeeded(job, "w1", output, 3));
        JobView done = view("j1");
        assertEquals("SUCCEEDED", done.status());
        assertTrue(done.terminal());
        assertEquals(ViewReducer.WORKER, done.decidedBy());
        assertEquals(output, done.output());
        assertEquals(Hashes.outputSha256(output), done.outputSha256(), "computed from the committed output");
        assertEquals(T0.plusSeconds(3), done.finishedAt());
        assertEquals("w1", done.workerId());
        assertEquals("1.0.0", done.modelVersion());
        assertNull(done.error());
        assertEquals(0, openJobs(TENANT));

        // the SUCCEEDED audit event of the same worker transaction, read after the result
        send(TOPICS.audit(), outcome(job, AuditType.SUCCEEDED, "w1", Hashes.outputSha256(output), null, 3));
        JobView settled = view("j1");
        assertEquals(output, settled.output());
        assertEquals(Hashes.outputSha256(output), settled.outputSha256());
        assertEquals(
                List.of("SUBMITTED", "STARTED", "SUCCEEDED"),
                settled.events().stream().map(JobView.Event::type).toList());
        assertEquals(
                ViewReducer.SUBMITTED_FROM_JOB + "j1", settled.events().get(0).eventId());
        assertEquals(0, openJobs(TENANT));
    }

    @Test
    void shouldLearnJobsOfEveryPoolAndPriorityFromTheTopicPattern() {
        pipe(gatewayCodec.encode(TEXT_BULK, job("j1", TENANT, null, null, Priority.BULK), null));
        pipe(gatewayCodec.encode(TOPICS.jobs("image-xl", Priority.INTERACTIVE), job("j2", TENANT, null, null), null));
        // the dead-letter topic shares the prefix but is no jobs topic: the topology has no source for it
        assertThrows(
                IllegalArgumentException.class,
                () -> pipe(gatewayCodec.encode(TOPICS.deadLetters(), job("j3", TENANT, null, null), null)));

        assertEquals("text", view("j1").pool());
        assertEquals("bulk", view("j1").priority());
        assertEquals("image-xl", view("j2").pool());
        assertEquals("interactive", view("j2").priority());
        assertNull(jobs().get("j3"));
        assertEquals(2, openJobs(TENANT));
    }

    @Test
    void shouldLetAGatewayCancelBeforeAnyWorkerFactWinOverALaterResult() {
        JobRequest job = job("j1", TENANT, null, null);
        send(TEXT_INTERACTIVE, job);
        send(TOPICS.audit(), gatewayCancel(job, 1));
        assertEquals("CANCELLED", view("j1").status());
        assertEquals(0, openJobs(TENANT));

        // the worker had taken the job before the cancel reached it: its result and SUCCEEDED event follow
        TextOutput output = new TextOutput("too late", "stop", 1, 2);
        send(TOPICS.results(), succeeded(job, "w1", output, 5));
        send(TOPICS.audit(), outcome(job, AuditType.SUCCEEDED, "w1", Hashes.outputSha256(output), null, 5));

        JobView v = view("j1");
        assertEquals("CANCELLED", v.status());
        assertTrue(v.terminal());
        assertEquals(ViewReducer.GATEWAY, v.decidedBy());
        assertEquals(ReasonCode.CANCELLED_BY_CLIENT.name(), v.error().code());
        assertNull(v.output(), "a job the gateway decided never shows output");
        assertNull(v.outputSha256());
        assertEquals(T0.plusSeconds(1), v.finishedAt(), "the cancel's time, not the result's");
        assertEquals(
                List.of("SUBMITTED", "CANCELLED", "SUCCEEDED"),
                v.events().stream().map(JobView.Event::type).toList(),
                "the worker's outcome is recorded, and changes nothing");
        assertEquals(0, openJobs(TENANT), "the job left the tenant's open count once, not twice");
    }

    @Test
    void shouldDropAnOutputReadBeforeAGatewayCancelThatNoWorkerFactPrecedes() {
        JobRequest job = job("j1", TENANT, null, null);
        send(TEXT_INTERACTIVE, job);
        TextOutput output = new TextOutput("raced", "stop", 1, 2);
        // results and audit interleave: the result is read first, but no worker fact precedes the cancel in the
        // job's audit log (the worker's own audit events of the run come after it)
        send(TOPICS.results(), succeeded(job, "w1", output, 5));
        assertEquals("SUCCEEDED", view("j1").status());
        assertEquals(output, view("j1").output());

        send(TOPICS.audit(), gatewayCancel(job, 2));
        JobView v = view("j1");
        assertEquals("CANCELLED", v.status());
        assertEquals(ViewReducer.GATEWAY, v.decidedBy());
        assertNull(v.output());
        assertNull(v.outputSha256());
        assertEquals(0, openJobs(TENANT));
    }

    @Test
    void shouldTreatAGatewayCancelAfterStartedAsARequestTheWorkerAnswers() {
        JobRequest job = job("j1", TENANT, null, null);
        send(TEXT_INTERACTIVE, job);
        send(TOPICS.audit(), started(job, "w1", 1));
        send(TOPICS.audit(), gatewayCancel(job, 2));

        JobView requested = view("j1");
        assertEquals("STARTED", requested.status(), "a cancel after a worker fact is only a request");
        assertFalse(requested.terminal());
        assertNull(requested.decidedBy());
        assertEquals(1, openJobs(TENANT));

        TextOutput output = new TextOutput("finished anyway", "stop", 1, 3);
        send(TOPICS.results(), succeeded(job, "w1", output, 4));
        JobView v = view("j1");
        assertEquals("SUCCEEDED", v.status());
        assertEquals(ViewReducer.WORKER, v.decidedBy());
        assertEquals(output, v.output());
        assertEquals(Hashes.outputSha256(output), v.outputSha256());
        assertEquals(0, openJobs(TENANT));
    }

    @Test
    void shouldKeepTheFirstCommittedOutcomeWhenADuplicatedJobRecordGetsTwoResults() {
        JobRequest job = job("j1", TENANT, "c1", "r-1");
        send(TEXT_INTERACTIVE, job);
        JobView once = view("j1");
        send(TEXT_INTERACTIVE, job); // a second gateway replica raced the same Idempotency-Key
        assertEquals(once, view("j1"), "a second record of the job folds into nothing new");
        assertEquals(
                counts(1, 0, 0, 0, 0, 0, 0),
                campaign("c1", TENANT).orElseThrow().withTotal());

        // each record was taken by a worker; both committed a result
        TextOutput first = new TextOutput("first", "stop", 1, 1);
        TextOutput second = new TextOutput("second", "length", 1, 8);
        send(TOPICS.audit(), started(job, "w1", 1));
        send(TOPICS.results(), succeeded(job, "w1", first, 2));
        send(TOPICS.audit(), outcome(job, AuditType.SUCCEEDED, "w1", Hashes.outputSha256(first), null, 2));
        JobView decided = view("j1");
        send(TOPICS.audit(), started(job, "w2", 3));
        send(TOPICS.results(), succeeded(job, "w2", second, 4));
        send(TOPICS.audit(), outcome(job, AuditType.SUCCEEDED, "w2", Hashes.outputSha256(second), null, 4));
        send(
                TOPICS.results(),
                new JobResult(
                        "j1",
                        TENANT,
                        "c1",
                        "r-1",
                        JobStatus.FAILED,
                        "copy-gpt",
                        "1.0.0",
                        null,
                        ReasonCode.MODEL_ERROR.reason("a third, failing"),
                        1,
                        T0.plusSeconds(4),
                        T0.plusSeconds(5),
                        "w3"));

        JobView v = view("j1");
        assertEquals("SUCCEEDED", v.status());
        assertEquals(first, v.output());
        assertEquals(Hashes.outputSha256(first), v.outputSha256());
        assertEquals("w1", v.workerId());
        assertEquals(decided.finishedAt(), v.finishedAt());
        assertEquals(T0.plusSeconds(1), v.startedAt(), "the first STARTED in the log");
        assertNull(v.error());
        assertEquals(
                counts(0, 0, 1, 0, 0, 0, 0),
                campaign("c1", TENANT).orElseThrow().withTotal());
        assertEquals(0, openJobs(TENANT));
    }

    @Test
    void shouldCountACampaignsJobsByOutcomeUntilItIsFinished() {
        send(TOPICS.audit(), campaignEvent("open-1", AuditType.CAMPAIGN_OPENED, TENANT, Map.of("name", "spring")));
        JobRequest j1 = job("j1", TENANT, "c1", "r-1", Priority.BULK);
        JobRequest j2 = job("j2", TENANT, "c1", "r-2", Priority.BULK);
        JobRequest j3 = job("j3", TENANT, "c1", "r-3", Priority.BULK);
        JobRequest j4 = job("j4", TENANT, "c1", "r-4", Priority.BULK);
        for (JobRequest j : List.of(j1, j2, j3, j4)) {
            send(TEXT_BULK, j);
        }
        // a fifth recipient refused at submission: its REJECTED event is its only fact
        send(
                TOPICS.audit(),
                audit(
                        "rej-5",
                        AuditType.REJECTED,
                        "j5",
                        "c1",
                        "r-5",
                        TENANT,
                        ViewReducer.GATEWAY,
                        null,
                        1,
                        ReasonCode.INVALID_INPUT.reason("bad"),
                        null,
                        Map.of()));
        CampaignCounts uploading = campaign("c1", TENANT).orElseThrow();
        assertEquals(counts(4, 0, 0, 0, 1, 0, 0), uploading.withTotal());
        assertEquals(CampaignCounts.UPLOADING, uploading.status());
        assertEquals(4, openJobs(TENANT), "the rejected recipient never counted as open");

        send(
                TOPICS.audit(),
                campaignEvent(
                        "seal-1",
                        AuditType.CAMPAIGN_SEALED,
                        TENANT,
                        Map.of("recipients", "5", "accepted", "5", "queued", "4", "rejected", "1")));
        CampaignCounts sealed = campaign("c1", TENANT).orElseThrow();
        assertEquals(5L, sealed.expected());
        assertEquals("RUNNING", sealed.status());

        send(TOPICS.audit(), started(j1, "w1", 1));
        send(TOPICS.audit(), started(j4, "w1", 1));
        assertEquals(
                counts(2, 2, 0, 0, 1, 0, 0),
                campaign("c1", TENANT).orElseThrow().withTotal());

        send(TOPICS.results(), succeeded(j1, "w1", new TextOutput("hi", "stop", 1, 1), 2));
        send(
                TOPICS.results(),
                new JobResult(
                        "j2",
                        TENANT,
                        "c1",
                        "r-2",
                        JobStatus.FAILED,
                        "copy-gpt",
                        "1.0.0",
                        null,
                        ReasonCode.MODEL_ERROR.reason("boom"),
                        1,
                        T0.plusSeconds(1),
                        T0.plusSeconds(2),
                        "w1"));
        send(TOPICS.audit(), gatewayCancel(j3, 2));
        // j4 fails an attempt and will be retried: back to queued, not failed
        send(TOPICS.audit(), outcome(j4, AuditType.FAILED, "w1", null, ReasonCode.WORKER_ERROR.reason("oom"), 2));
        assertEquals(
                counts(1, 0, 1, 1, 1, 1, 0),
                campaign("c1", TENANT).orElseThrow().withTotal());
        assertFalse(campaign("c1", TENANT).orElseThrow().finished());

        send(TOPICS.audit(), started(j4, "w2", 3));
        assertEquals(
                counts(0, 1, 1, 1, 1, 1, 0),
                campaign("c1", TENANT).orElseThrow().withTotal());
        send(
                TOPICS.results(),
                new JobResult(
                        "j4",
                        TENANT,
                        "c1",
                        "r-4",
                        JobStatus.EXPIRED,
                        "copy-gpt",
                        "1.0.0",
                        null,
                        ReasonCode.DEADLINE_PASSED.reason("late"),
                        2,
                        T0.plusSeconds(3),
                        T0.plusSeconds(4),
                        "w2"));

        CampaignCounts done = campaign("c1", TENANT).orElseThrow();
        assertEquals(counts(0, 0, 1, 1, 1, 1, 1), done.withTotal());
        assertTrue(done.finished());
        assertTrue(done.complete());
        assertEquals("FINISHED", done.status());
        assertEquals(0, openJobs(TENANT));
        assertEquals(
                Map.of("j1", "r-1", "j2", "r-2", "j3", "r-3", "j4", "r-4", "j5", "r-5"),
                campaignJobs("c1"),
                "the campaign's index: job id → custom id");
    }

    @Test
    void shouldIgnoreFactsClaimingAnotherTenantsJobOrCampaign() {
        JobRequest job = job("j1", TENANT, "c1", "r-1");
        send(TOPICS.audit(), campaignEvent("open-1", AuditType.CAMPAIGN_OPENED, TENANT, Map.of()));
        send(TEXT_INTERACTIVE, job);
        send(TOPICS.audit(), started(job, "w1", 1));
        Map<String, Map<String, String>> before = snapshot();

        // every fact below names job j1 or campaign c1 but another tenant
        JobRequest forged = job("j1", OTHER, null, null);
        send(TEXT_INTERACTIVE, forged);
        send(TOPICS.audit(), gatewayCancel(forged, 2));
        send(TOPICS.results(), succeeded(forged, "w9", new TextOutput("not yours", "stop", 1, 1), 3));
        send(
                TOPICS.audit(),
                campaignEvent(
                        "seal-x", AuditType.CAMPAIGN_SEALED, OTHER, Map.of("recipients", "99", "accepted", "99")));
        Map<String, Map<String, String>> after = snapshot();
        String theirs = ViewTopology.countsKey("c1", OTHER, 0);
        assertEquals(
                CampaignCounts.SEALED,
                campaign("c1", OTHER).orElseThrow().upload().state(),
                "the other tenant's seal is its own campaign's, under its own key " + theirs);
        after.get(ViewTopology.CAMPAIGN_COUNTS).remove(theirs);
        assertEquals(before, after, "nothing else changed: not the job, not the owner's campaign");
        assertEquals(0, openJobs(OTHER));

        // the forged result did not use up the job's one result: the real one still decides
        TextOutput output = new TextOutput("yours", "stop", 1, 1);
        send(TOPICS.results(), succeeded(job, "w1", output, 4));
        JobView v = view("j1");
        assertEquals(TENANT, v.tenant());
        assertEquals("SUCCEEDED", v.status());
        assertEquals(output, v.output());
        assertEquals("w1", v.workerId());
        assertEquals(0, openJobs(TENANT));
        assertEquals(
                counts(0, 0, 1, 0, 0, 0, 0),
                campaign("c1", TENANT).orElseThrow().withTotal());
        assertEquals(
                CampaignCounts.UPLOADING,
                campaign("c1", TENANT).orElseThrow().upload().state());
    }

    @Test
    void shouldCountAnotherTenantsJobNamingTheSameCampaignIdInItsOwnCampaign() {
        // campaign ids are UUIDs or tenant-scoped hashes, so only a forged or buggy producer writes this; the
        // owner's counts must not change, whichever arrives first
        JobRequest mine = job("j1", TENANT, "c1", "r-1");
        JobRequest theirsFirst = job("j0", OTHER, "c1", "x-0");
        send(TEXT_INTERACTIVE, theirsFirst);
        send(TOPICS.audit(), campaignEvent("open-1", AuditType.CAMPAIGN_OPENED, TENANT, Map.of()));
        send(TEXT_INTERACTIVE, mine);
        send(TOPICS.results(), succeeded(theirsFirst, "w9", new TextOutput("theirs", "stop", 1, 1), 2));
        JobRequest theirsAfter = job("j2", OTHER, "c1", "x-2");
        send(TEXT_INTERACTIVE, theirsAfter);
        send(
                TOPICS.audit(),
                campaignEvent("seal-x", AuditType.CAMPAIGN_SEALED, OTHER, Map.of("recipients", "2", "accepted", "2")));

        CampaignCounts owners = campaign("c1", TENANT).orElseThrow();
        assertEquals(TENANT, owners.tenant());
        assertEquals(counts(1, 0, 0, 0, 0, 0, 0), owners.withTotal(), "only the owner's job is counted");
        assertEquals(CampaignCounts.UPLOADING, owners.upload().state(), "another tenant's seal does not seal it");
        CampaignCounts others = campaign("c1", OTHER).orElseThrow();
        assertEquals(counts(1, 0, 1, 0, 0, 0, 0), others.withTotal(), "the other tenant's records count apart");
        assertEquals(1, openJobs(TENANT), "the owner has one open job");
        assertEquals(1, openJobs(OTHER));
    }

    @Test
    void shouldNotReadACampaignWhoseIdContainsTheKeySeparatorAsAnother() {
        send(TEXT_INTERACTIVE, job("j1", TENANT, "c1", "r-1"));
        send(TEXT_INTERACTIVE, job("j2", TENANT, "c1|" + TENANT, "r-2"));
        send(TEXT_INTERACTIVE, job("j3", TENANT, "c1|" + TENANT, "r-3"));
        send(TEXT_INTERACTIVE, job("j4", TENANT + "|0", "c1", "r-4")); // key c1|acme|0|<partition>
        assertEquals(
                counts(1, 0, 0, 0, 0, 0, 0),
                campaign("c1", TENANT).orElseThrow().withTotal());
        assertEquals(
                counts(2, 0, 0, 0, 0, 0, 0),
                campaign("c1|" + TENANT, TENANT).orElseThrow().withTotal());
    }

    @Test
    void shouldSkipMalformedRecordsOnEveryTopicAndKeepFolding() {
        JobRequest job = job("j1", TENANT, "c1", "r-1");
        send(TEXT_INTERACTIVE, job);
        send(TOPICS.audit(), started(job, "w1", 1));
        send(TOPICS.models(), announcement());
        Map<String, Map<String, String>> before = snapshot();

        TextOutput output = new TextOutput("ok", "stop", 1, 1);
        ProducerRecord<String, byte[]> result =
                workerCodec.encode(TOPICS.results(), succeeded(job, "w1", output, 3), null);
        ProducerRecord<String, byte[]> failedAudit = workerCodec.encode(
                TOPICS.audit(),
                outcome(job, AuditType.FAILED, "w1", null, ReasonCode.WORKER_ERROR.reason("x"), 2),
                null);
        ProducerRecord<String, byte[]> record =
                gatewayCodec.encode(TEXT_INTERACTIVE, job("j2", TENANT, null, null), null);
        Map<String, Headers> envelopes = Map.of(
                TOPICS.audit(),
                failedAudit.headers(),
                TOPICS.results(),
                result.headers(),
                TEXT_INTERACTIVE,
                record.headers(),
                TOPICS.models(),
                gatewayCodec.encode(TOPICS.models(), announcement(), null).headers());
        byte[] garbage = "\u0000\u0001 not an event".getBytes(StandardCharsets.UTF_8);
        envelopes.forEach((topic, headers) -> {
            pipe(topic, "j1", garbage, new RecordHeaders()); // NOT_A_CLOUDEVENT
            pipe(topic, "j1", new byte[0], copy(headers)); // EMPTY_RECORD
            pipe(topic, "j1", "{not json".getBytes(StandardCharsets.UTF_8), copy(headers)); // MALFORMED_DATA
            if (!topic.equals(TOPICS.models())) { // on the models topic a tombstone retracts an announcement
                pipe(topic, "j1", null, new RecordHeaders()); // a tombstone: the view keeps what it knew
            }
        });
        // UNEXPECTED_TYPE: each payload on a topic that does not carry its type
        pipe(TOPICS.audit(), "j1", result.value(), copy(result.headers()));
        pipe(TOPICS.results(), "j1", failedAudit.value(), copy(failedAudit.headers()));
        pipe(TEXT_INTERACTIVE, "j2", result.value(), copy(result.headers()));
        // INVALID_PAYLOAD: a result missing required fields; an audit event of an unknown type
        pipe(TOPICS.results(), "j1", "{\"job_id\":\"j1\"}".getBytes(StandardCharsets.UTF_8), copy(result.headers()));
        String unknownType =
                new String(failedAudit.value(), StandardCharsets.UTF_8).replace("\"FAILED\"", "\"EXPLODED\"");
        pipe(TOPICS.audit(), "j1", unknownType.getBytes(StandardCharsets.UTF_8), copy(failedAudit.headers()));
        // INVALID_PAYLOAD: the CloudEvent's tenant extension contradicts the payload's tenant
        Headers otherTenant = copy(result.headers());
        otherTenant.remove("ce_" + EventCodec.TENANT);
        otherTenant.add("ce_" + EventCodec.TENANT, OTHER.getBytes(StandardCharsets.UTF_8));
        pipe(TOPICS.results(), "j1", result.value(), otherTenant);
        // a valid job record whose CloudEvent says it is an audit event
        Headers wrongType = copy(record.headers());
        wrongType.remove("ce_type");
        wrongType.add("ce_type", failedAudit.headers().lastHeader("ce_type").value());
        pipe(TEXT_INTERACTIVE, "j2", record.value(), wrongType);

        assertEquals(before, snapshot(), "no malformed record reached a store");
        assertEquals("STARTED", view("j1").status());
        assertEquals(1, announcements());

        // the view did not stop: the next good records fold as usual
        pipe(result);
        pipe(record);
        assertEquals("SUCCEEDED", view("j1").status());
        assertEquals(output, view("j1").output());
        assertEquals("SUBMITTED", view("j2").status());
        assertEquals(
                counts(0, 0, 1, 0, 0, 0, 0),
                campaign("c1", TENANT).orElseThrow().withTotal());
        assertEquals(1, openJobs(TENANT));
    }

    @Test
    void shouldReopenADeadLetteredJobOnItsRedriveAndShowTheNewAttemptsOutcome() {
        JobRequest job = job("j1", TENANT, "c1", "r-1", Priority.BULK);
        send(TEXT_BULK, job);
        send(TOPICS.audit(), started(job, "w1", 1));
        Reason poison = ReasonCode.MODEL_ERROR.reason("failed 1 attempt(s): boom");
        send(TOPICS.audit(), outcome(job, AuditType.DEAD_LETTERED, "w1", null, poison, 2));
        send(TOPICS.results(), result(job, JobStatus.DEAD_LETTERED, null, 1, 2));
        assertEquals("DEAD_LETTERED", view("j1").status());
        assertEquals(
                counts(0, 0, 0, 1, 0, 0, 0),
                campaign("c1", TENANT).orElseThrow().withTotal());
        assertEquals(0, openJobs(TENANT));

        // the operator's redrive: the request again with attempt 2, and its REDRIVEN event, in one transaction
        ProducerRecord<String, byte[]> again = gatewayCodec.encode(TEXT_BULK, job.withAttempt(2), null);
        pipe(again.topic(), again.key(), again.value(), again.headers(), T0.plusSeconds(60));
        send(TOPICS.audit(), redriven(job, 2, 60));
        JobView reopened = view("j1");
        assertEquals("RETRIED", reopened.status());
        assertFalse(reopened.terminal());
        assertEquals(2, reopened.attempts());
        assertEquals(2, reopened.reopenedAt());
        assertNull(reopened.decidedBy(), "open again: the worker decides the new outcome");
        assertNull(reopened.finishedAt());
        assertEquals(T0.plusSeconds(60), reopened.statusTime(), "the redrive record's time");
        assertEquals(
                "REDRIVEN", reopened.events().get(reopened.events().size() - 1).type());
        assertEquals(
                "operator:maria",
                reopened.events().get(reopened.events().size() - 1).actor());
        assertEquals(
                counts(1, 0, 0, 0, 0, 0, 0),
                campaign("c1", TENANT).orElseThrow().withTotal());
        assertEquals(1, openJobs(TENANT), "open again, for the queued-jobs quota too");

        send(TOPICS.audit(), attempt(started(job, "w2", 61), 2));
        assertEquals("STARTED", view("j1").status());
        TextOutput output = new TextOutput("Hello again", "stop", 2, 3);
        send(TOPICS.results(), result(job, JobStatus.SUCCEEDED, output, 2, 62));
        send(
                TOPICS.audit(),
                attempt(outcome(job, AuditType.SUCCEEDED, "w2", Hashes.outputSha256(output), null, 62), 2));
        JobView done = view("j1");
        assertEquals("SUCCEEDED", done.status());
        assertTrue(done.terminal());
        assertEquals(2, done.attempts());
        assertEquals(2, done.outcomeAttempt());
        assertEquals(output, done.output());
        assertNull(done.error(), "the dead letter's error is gone with the success");
        assertEquals(
                counts(0, 0, 1, 0, 0, 0, 0),
                campaign("c1", TENANT).orElseThrow().withTotal());
        assertEquals(0, openJobs(TENANT));
        assertEquals("j1#attempt-2", done.outcomeSubject(), "a new webhook message for the new outcome");

        // facts of attempt 1 read late (another replica's duplicate, a rebuild's interleaving) change nothing
        send(TOPICS.audit(), started(job, "w1", 70));
        send(TOPICS.audit(), outcome(job, AuditType.DEAD_LETTERED, "w1", null, poison, 71));
        send(TOPICS.results(), result(job, JobStatus.DEAD_LETTERED, null, 1, 71));
        // and the same redrive written again (an operator's repeat before attempt 2 finished) reopens nothing
        pipe(again.topic(), again.key(), again.value(), again.headers(), T0.plusSeconds(72));
        send(TOPICS.audit(), redriven(job, 2, 72));
        JobView still = view("j1");
        assertEquals("SUCCEEDED", still.status());
        assertTrue(still.terminal());
        assertEquals(output, still.output());
        assertEquals(
                counts(0, 0, 1, 0, 0, 0, 0),
                campaign("c1", TENANT).orElseThrow().withTotal());
        assertEquals(0, openJobs(TENANT));
    }

    AuditEvent redriven(JobRequest job, int attempt, int second) {
        return new AuditEvent(
                "ev-" + ++events,
                AuditType.REDRIVEN,
                job.jobId(),
                job.campaignId(),
                job.customId(),
                job.tenant(),
                "operator:maria",
                T0.plusSeconds(second),
                job.model(),
                null,
                job.input().seed(),
                Hashes.inputSha256(job.input()),
                null,
                attempt,
                null,
                null,
                null,
                Map.of("dead_letter", "genfleet.jobs.dlq-0@3", "dead_lettered_attempt", Integer.toString(attempt - 1)));
    }

    /** The same audit event as of another attempt. */
    static AuditEvent attempt(AuditEvent e, int attempt) {
        return new AuditEvent(
                e.eventId(),
                e.type(),
                e.jobId(),
                e.campaignId(),
                e.customId(),
                e.tenant(),
                e.actor(),
                e.time(),
                e.model(),
                e.modelVersion(),
                e.seed(),
                e.inputSha256(),
                e.outputSha256(),
                attempt,
                e.reason(),
                e.workerId(),
                e.durationMs(),
                e.details());
    }

    static JobResult result(JobRequest job, JobStatus status, JobOutput output, int attempt, int second) {
        return new JobResult(
                job.jobId(),
                job.tenant(),
                job.campaignId(),
                job.customId(),
                status,
                job.model(),
                "1.0.0",
                output,
                status == JobStatus.SUCCEEDED ? null : ReasonCode.MODEL_ERROR.reason("boom"),
                attempt,
                T0.plusSeconds(second - 1),
                T0.plusSeconds(second),
                "w" + attempt);
    }

    // --- records -------------------------------------------------------------------------------------------------

    static JobRequest job(String id, String tenant, String campaignId, String customId) {
        return job(id, tenant, campaignId, customId, Priority.INTERACTIVE);
    }

    /** The view's {@code priority} is the record's own; the topic's name gives only the pool. */
    static JobRequest job(String id, String tenant, String campaignId, String customId, Priority priority) {
        return new JobRequest(
                id,
                tenant,
                campaignId,
                customId,
                "copy-gpt",
                priority,
                new TextInput("hi", 8, 1.0, 0, 1.0, List.of(), 77L),
                T0,
                null,
                1,
                null,
                Map.of());
    }

    AuditEvent started(JobRequest job, String worker, int second) {
        return audit(
                "ev-" + ++events,
                AuditType.STARTED,
                job.jobId(),
                job.campaignId(),
                job.customId(),
                job.tenant(),
                worker,
                worker,
                second,
                null,
                null,
                Map.of());
    }

    /** A worker's outcome event (written in the same transaction as its result). */
    AuditEvent outcome(JobRequest job, AuditType type, String worker, String outputSha, Reason reason, int second) {
        return new AuditEvent(
                "ev-" + ++events,
                type,
                job.jobId(),
                job.campaignId(),
                job.customId(),
                job.tenant(),
                worker,
                T0.plusSeconds(second),
                job.model(),
                "1.0.0",
                job.input().seed(),
                null,
                outputSha,
                1,
                reason,
                worker,
                5L,
                Map.of());
    }

    /** {@code POST /v1/jobs/{id}/cancel}: a CANCELLED event without a worker id. */
    AuditEvent gatewayCancel(JobRequest job, int second) {
        return audit(
                "ev-" + ++events,
                AuditType.CANCELLED,
                job.jobId(),
                job.campaignId(),
                job.customId(),
                job.tenant(),
                "tenant:" + job.tenant(),
                null,
                second,
                ReasonCode.CANCELLED_BY_CLIENT.reason("cancelled by client"),
                null,
                Map.of());
    }

    static AuditEvent audit(
            String eventId,
            AuditType type,
            String jobId,
            String campaignId,
            String customId,
            String tenant,
            String actor,
            String workerId,
            int second,
            Reason reason,
            String outputSha,
            Map<String, String> details) {
        return new AuditEvent(
                eventId,
                type,
                jobId,
                campaignId,
                customId,
                tenant,
                actor,
                T0.plusSeconds(second),
                "copy-gpt",
                null,
                null,
                null,
                outputSha,
                1,
                reason,
                workerId,
                null,
                details);
    }

    /** A campaign upload's own event: key and job id are the campaign id ({@code c1}). */
    static AuditEvent campaignEvent(String eventId, AuditType type, String tenant, Map<String, String> details) {
        return new AuditEvent(
                eventId,
                type,
                "c1",
                "c1",
                null,
                tenant,
                ViewReducer.GATEWAY,
                T0,
                "copy-gpt",
                null,
                null,
                null,
                null,
                0,
                null,
                null,
                null,
                details);
    }

    static JobResult succeeded(JobRequest job, String worker, JobOutput output, int second) {
        return new JobResult(
                job.jobId(),
                job.tenant(),
                job.campaignId(),
                job.customId(),
                JobStatus.SUCCEEDED,
                job.model(),
                "1.0.0",
                output,
                null,
                1,
                T0.plusSeconds(second - 1),
                T0.plusSeconds(second),
                worker);
    }

    static ModelAnnouncement announcement() {
        return new ModelAnnouncement("w1", "text", "copy-gpt", "1.0.0", "text", "cpu", true, 8, T0);
    }

    // --- piping ---------------------------------------------------------------------------------------------------

    void send(String topic, GenfleetPayload payload) {
        EventCodec codec = topic.equals(TOPICS.results()) ? workerCodec : gatewayCodec;
        pipe(codec.encode(topic, payload, null));
    }

    void pipe(ProducerRecord<String, byte[]> record) {
        pipe(record.topic(), record.key(), record.value(), record.headers());
    }

    void pipe(String topic, String key, byte[] value, Headers headers) {
        pipe(topic, key, value, headers, T0);
    }

    void pipe(String topic, String key, byte[] value, Headers headers, Instant timestamp) {
        inputs.computeIfAbsent(
                        topic, t -> driver.createInputTopic(t, new StringSerializer(), new ByteArraySerializer()))
                .pipeInput(new TestRecord<>(key, value, headers, timestamp));
    }

    static Headers copy(Headers headers) {
        return new RecordHeaders(headers.toArray());
    }

    // --- reading, as StatusView does ------------------------------------------------------------------------------

    KeyValueStore<String, byte[]> jobs() {
        return driver.getKeyValueStore(ViewTopology.JOBS);
    }

    JobView view(String jobId) {
        JobView v = ViewTopology.read(jobs().get(jobId), JobView.class);
        assertNotNull(v, "job " + jobId + " is in the view");
        return v;
    }

    /** {@link StatusView#campaign}: the tenant's partitions summed; empty if the tenant has none. */
    Optional<CampaignCounts> campaign(String campaignId, String tenant) {
        return StatusView.campaign(driver.getKeyValueStore(ViewTopology.CAMPAIGN_COUNTS), campaignId, tenant);
    }

    /** {@link StatusView#campaignJobs}: job id → custom id. */
    Map<String, String> campaignJobs(String campaignId) {
        Map<String, String> out = new LinkedHashMap<>();
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(ViewTopology.CAMPAIGN_JOBS);
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(campaignId + "|", new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                out.put(kv.key.substring(campaignId.length() + 1), new String(kv.value, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** {@link StatusView#openJobs}. */
    long openJobs(String tenant) {
        long sum = 0;
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(ViewTopology.TENANT_OPEN);
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(tenant + "|", new StringSerializer())) {
            while (it.hasNext()) {
                sum += Long.parseLong(new String(it.next().value, StandardCharsets.UTF_8));
            }
        }
        return Math.max(0, sum);
    }

    int announcements() {
        int n = 0;
        try (KeyValueIterator<String, byte[]> it =
                driver.<String, byte[]>getKeyValueStore(ViewTopology.MODELS).all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    /** Every entry of every store, as text: for "nothing changed". */
    Map<String, Map<String, String>> snapshot() {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        for (String name : List.of(
                ViewTopology.JOBS,
                ViewTopology.CAMPAIGN_JOBS,
                ViewTopology.CAMPAIGN_COUNTS,
                ViewTopology.TENANT_OPEN,
                ViewTopology.MODELS)) {
            Map<String, String> entries = new LinkedHashMap<>();
            try (KeyValueIterator<String, byte[]> it =
                    driver.<String, byte[]>getKeyValueStore(name).all()) {
                while (it.hasNext()) {
                    KeyValue<String, byte[]> kv = it.next();
                    entries.put(kv.key, new String(kv.value, StandardCharsets.UTF_8));
                }
            }
            all.put(name, entries);
        }
        return all;
    }

    static Map<String, Long> counts(
            long queued, long running, long succeeded, long failed, long rejected, long cancelled, long expired) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("total", queued + running + succeeded + failed + rejected + cancelled + expired);
        m.put("queued", queued);
        m.put("running", running);
        m.put("succeeded", succeeded);
        m.put("failed", failed);
        m.put("rejected", rejected);
        m.put("cancelled", cancelled);
        m.put("expired", expired);
        return m;
    }
}
