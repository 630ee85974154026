package dev.genfleet.worker.consume;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.Brief;
import dev.genfleet.schemas.CopyQuality;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.GenfleetPayload;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Checked text jobs through the real broker and the test app's models (the same Quarkus app as
 * {@link WorkerPipelineIT}; its broker resource is global): quality decisions, their results and their
 * audit events.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopyQualityIT {

    private static final Topics TOPICS = Topics.defaults();
    private static final Duration WAIT = Duration.ofSeconds(90);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final EventCodec codec = EventCodec.forComponent("test-gateway");
    private KafkaProducer<String, byte[]> producer;
    private TopicCollector collector;

    @BeforeAll
    void connect() {
        producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer());
        collector = new TopicCollector(bootstrap, List.of(TOPICS.results(), TOPICS.audit(), TOPICS.deadLetters()));
    }

    @AfterAll
    void disconnect() throws Exception {
        producer.close();
        collector.close();
    }

    /** A prompt-only job that asks for a string copy-gpt never writes, with three candidates. */
    private static TextInput unmeetable(String quality) {
        return new TextInput(
                "Hi Maria, ", 24, 0.9, 0, 1.0, List.of(), 77L, null, List.of("Zyxwv Qrst"), null, 3, quality);
    }

    @Test
    void shouldFailAJobWhoseEveryCandidateFailsItsChecksWithoutRetryOrDeadLetter() {
        JobRequest job = job("copy-gpt", unmeetable(null));
        submit(job);

        JobResult result = awaitResult(job.jobId());
        assertEquals(JobStatus.FAILED, result.status());
        assertEquals(ReasonCode.QUALITY_CHECK_FAILED.name(), result.error().code());
        assertTrue(
                result.error().message().startsWith("none of 3 candidate(s) passed"),
                result.error().message());
        assertTrue(
                result.error().message().contains("[Zyxwv Qrst]"),
                result.error().message());
        assertNull(result.output(), "a failed job shows no copy");
        assertEquals(1, result.attempt());

        List<AuditEvent> audit = awaitAudit(job.jobId(), AuditType.FAILED);
        assertEquals(
                List.of(AuditType.STARTED, AuditType.FAILED),
                audit.stream().map(AuditEvent::type).toList(),
                "no RETRIED, no DEAD_LETTERED");
        AuditEvent failed = audit.get(1);
        assertEquals(ReasonCode.QUALITY_CHECK_FAILED.name(), failed.reason().code());
        assertEquals("failed", failed.details().get("quality"));
        assertEquals("3", failed.details().get("candidates"));
        assertEquals("[\"Zyxwv Qrst\"]", failed.details().get("required_missing"));
        assertTrue(collector.records(TOPICS.deadLetters(), job.jobId()).isEmpty(), "not poison: no DLQ record");
    }

    @Test
    void shouldReturnTheBestCandidateOnBestEffortMarkedAsNotPassed() {
        JobRequest job = job("copy-gpt", unmeetable("best_effort"));
        submit(job);

        JobResult result = awaitResult(job.jobId());
        assertEquals(JobStatus.SUCCEEDED, result.status());
        TextOutput text = assertInstanceOf(TextOutput.class, result.output());
        CopyQuality quality = text.quality();
        assertFalse(quality.passed());
        assertEquals(3, quality.candidates());
        assertEquals(List.of("Zyxwv Qrst"), quality.requiredMissing());
        AuditEvent succeeded = awaitAudit(job.jobId(), AuditType.SUCCEEDED).stream()
                .filter(e -> e.type() == AuditType.SUCCEEDED)
                .findFirst()
                .orElseThrow();
        assertEquals("best_effort", succeeded.details().get("quality"));
        assertEquals("3", succeeded.details().get("candidates"));
    }

    @Test
    void shouldGiveAnUncheckedJobNoQualityAndTheSameTextAsBefore() {
        TextInput plain = new TextInput("Hi Maria, ", 24, 0.9, 0, 1.0, List.of(), 77L);
        TextInput oneCandidate = new TextInput(
                "Hi Maria, ", 24, 0.9, 0, 1.0, List.of(), 77L, null, List.of(), false, null, "best_effort");
        JobRequest a = job("copy-gpt", plain);
        JobRequest b = job("copy-gpt", oneCandidate);
        submit(a);
        submit(b);
        TextOutput unchecked = (TextOutput) awaitResult(a.jobId()).output();
        TextOutput checked = (TextOutput) awaitResult(b.jobId()).output();
        assertNull(unchecked.quality());
        assertEquals(1, checked.quality().candidates());
        assertEquals(unchecked.text(), checked.text(), "candidate 0 uses the job's seed: best_of 1 is a plain run");
    }

    @Test
    void shouldRefuseABriefForAModelWithoutAPromptFormat() {
        Brief brief = new Brief("Nimbus Pillow", "light sleepers", "deeper sleep", null, null, "Zoë");
        for (String model : List.of("copy-gpt", "copy-gpt-kv")) {
            TextInput input = new TextInput("", 24, 0.8, 0, 1.0, List.of(), 1L, brief, null, null, null, null);
            JobRequest job = job(model, input);
            submit(job);
            JobResult result = awaitResult(job.jobId());
            assertEquals(ReasonCode.INVALID_INPUT.name(), result.error().code(), model);
            assertTrue(
                    result.error().message().startsWith("model " + model + " takes no brief"),
                    result.error().message());
        }
    }

    /** Held-out briefs (products, names and benefits never in the copywriter's training), and the README's. */
    private static final List<Brief> BRIEFS = List.of(
            new Brief("Nimbus Pillow", "light sleepers", "deeper sleep", null, null, "Søren"),
            new Brief(
                    "Bönix Linen Duvet",
                    "weekend travelers",
                    "better commutes",
                    "30% off with code YLAKY35",
                    "playful",
                    "Ngozi"),
            new Brief("Quitek Pasta Maker", "creative gamers", "all-day comfort", null, "friendly", "Nuño"),
            new Brief(
                    "Arimi Merino Beanie",
                    "remote readers",
                    "everyday commutes",
                    "free returns for 90 days",
                    "calm",
                    null),
            new Brief("Đorić Puppy Pads", "urban dog owners", "quieter meals", null, null, "Mei-Ling"),
            new Brief("Késly Hair Oil", "curious grandparents", "lasting weekends", null, "luxurious", "Zoë"));

    @Test
    void shouldWriteCopyForABriefNamingTheRecipientAndTheProductExactly() {
        List<JobRequest> jobs = new ArrayList<>();
        for (int i = 0; i < BRIEFS.size(); i++) {
            TextInput input =
                    new TextInput("", 80, 0.8, 0, 0.95, List.of(), 500L + i, BRIEFS.get(i), null, null, 4, null);
            jobs.add(job("copywriter", input));
        }
        jobs.forEach(this::submit);
        for (int i = 0; i < jobs.size(); i++) {
            Brief brief = BRIEFS.get(i);
            JobResult result = awaitResult(jobs.get(i).jobId());
            assertEquals(JobStatus.SUCCEEDED, result.status(), brief + ": " + result.error());
            TextOutput text = assertInstanceOf(TextOutput.class, result.output());
            assertTrue(text.text().contains(brief.product()), text.text());
            if (brief.name() != null) {
                assertTrue(text.text().contains(brief.name()), text.text());
            }
            assertFalse(text.text().contains("{{"), "every merge field filled: " + text.text());
            assertFalse(text.text().contains("<|"), text.text());
            CopyQuality quality = text.quality();
            assertTrue(quality.passed(), text.text() + " " + quality);
            assertEquals(List.of(), quality.requiredMissing());
            assertEquals(List.of(), quality.unstatedOffers());
            assertTrue(quality.unknownWordRatio() <= 0.05, String.valueOf(quality.unknownWordRatio()));
            if (brief.offer() == null) {
                assertFalse(text.text().chars().anyMatch(Character::isDigit), "no offer, no digits: " + text.text());
            } else {
                assertTrue(text.text().contains(brief.offer()), "the brief's offer, verbatim: " + text.text());
            }
            AuditEvent succeeded = awaitAudit(jobs.get(i).jobId(), AuditType.SUCCEEDED).stream()
                    .filter(e -> e.type() == AuditType.SUCCEEDED)
                    .findFirst()
                    .orElseThrow();
            assertEquals("passed", succeeded.details().get("quality"));
            assertEquals(
                    String.valueOf(quality.candidates()), succeeded.details().get("candidates"));
        }
    }

    @Test
    void shouldOpenTheCopyWithTheJobsPromptAndFillItsMergeFields() {
        TextInput input =
                new TextInput("Hi {{name}}, ", 80, 0.8, 0, 0.95, List.of(), 9L, BRIEFS.get(4), null, null, 4, null);
        JobRequest job = job("copywriter", input);
        submit(job);
        TextOutput text =
                assertInstanceOf(TextOutput.class, awaitResult(job.jobId()).output());
        assertTrue(text.text().startsWith("Hi Mei-Ling, "), text.text());
        assertTrue(text.quality().passed(), text.text() + " " + text.quality());
    }

    @Test
    void shouldFailACopywriterJobThatRequiresWhatItCannotWriteAfterBestOfCandidates() {
        TextInput strict =
                new TextInput("", 60, 0.8, 0, 0.95, List.of(), 3L, BRIEFS.get(0), List.of("Zyxwv Qrst"), null, 3, null);
        TextInput bestEffort = new TextInput(
                "", 60, 0.8, 0, 0.95, List.of(), 3L, BRIEFS.get(0), List.of("Zyxwv Qrst"), null, 3, "best_effort");
        JobRequest failing = job("copywriter", strict);
        JobRequest lenient = job("copywriter", bestEffort);
        submit(failing);
        submit(lenient);
        JobResult failed = awaitResult(failing.jobId());
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(ReasonCode.QUALITY_CHECK_FAILED.name(), failed.error().code());
        AuditEvent audit = awaitAudit(failing.jobId(), AuditType.FAILED).stream()
                .filter(e -> e.type() == AuditType.FAILED)
                .findFirst()
                .orElseThrow();
        assertEquals("3", audit.details().get("candidates"));
        TextOutput best =
                assertInstanceOf(TextOutput.class, awaitResult(lenient.jobId()).output());
        assertFalse(best.quality().passed());
        assertEquals(3, best.quality().candidates());
        assertEquals(List.of("Zyxwv Qrst"), best.quality().requiredMissing());
        assertTrue(best.text().contains("Nimbus Pillow") && best.text().contains("Søren"), best.text());
    }

    private JobRequest job(String model, TextInput input) {
        return new JobRequest(
                "job-" + UUID.randomUUID(),
                "acme",
                null,
                null,
                model,
                Priority.INTERACTIVE,
                input,
                Instant.now(),
                null,
                1,
                null,
                null);
    }

    private void submit(JobRequest job) {
        try {
            producer.send(codec.encode(TOPICS.jobs("text", Priority.INTERACTIVE), job, TraceContext.NONE))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JobResult awaitResult(String jobId) {
        List<JobResult> results =
                await().atMost(WAIT).until(() -> payloads(TOPICS.results(), jobId, JobResult.class), l -> !l.isEmpty());
        assertEquals(1, results.size(), "exactly one result per job");
        return results.get(0);
    }

    private List<AuditEvent> awaitAudit(String jobId, AuditType last) {
        return await().atMost(WAIT)
                .until(
                        () -> payloads(TOPICS.audit(), jobId, AuditEvent.class),
                        l -> l.stream().anyMatch(e -> e.type() == last));
    }

    private <T extends GenfleetPayload> List<T> payloads(String topic, String key, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : collector.records(topic, key)) {
            if (codec.decode(r, type) instanceof Decoded.Ok<T> ok) {
                out.add(ok.payload());
            }
        }
        return out;
    }
}
