package dev.genfleet.worker.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.inference.Modality;
import dev.genfleet.inference.ModelInfo;
import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.worker.model.HostedModel;
import dev.genfleet.worker.run.CancellationRegistry;
import dev.genfleet.worker.run.JobProcessor;
import dev.genfleet.worker.run.Outcome;
import dev.genfleet.worker.run.RetryPolicy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's span structure (JobTraces) with the OpenTelemetry SDK and an in-memory exporter: no broker, no
 * Quarkus. The processor and its splitting are the real ones; the model is scripted.
 */
class JobTracesTest {

    private static final String TRACE_A = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_A = "00f067aa0ba902b7";
    private static final String TRACE_B = "0af7651916cd43dd8448eb211c80319c";
    private static final String PARENT_B = "b7ad6b7169203331";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported))
            .build();
    private final JobTraces traces = new JobTraces(provider.get("genfleet-worker-test"));

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void shouldMakeEachJobSpanAChildOfTheTraceContextItsRecordCarries() {
        ConsumerRecord<String, byte[]> record = record("genfleet.jobs.text.interactive", 2, 41L, "job-1");
        Span span = traces.startJob(record, job("job-1", "hello"), traceparent(TRACE_A, PARENT_A));
        JobTraces.outcome(span, "succeeded", null);
        JobTraces.end(List.of(span), null);

        SpanData job = only(exported.getFinishedSpanItems());
        assertEquals("process genfleet.jobs.text.interactive", job.getName());
        assertEquals(SpanKind.CONSUMER, job.getKind());
        assertEquals(TRACE_A, job.getTraceId());
        assertEquals(PARENT_A, job.getParentSpanId(), "the gateway's span, from ce_traceparent");
        assertTrue(job.getParentSpanContext().isRemote());
        assertEquals("job-1", job.getAttributes().get(AttributeKey.stringKey("genfleet.job.id")));
        assertEquals(41L, job.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")));
        assertEquals("succeeded", job.getAttributes().get(AttributeKey.stringKey("genfleet.outcome")));
        assertEquals(StatusCode.UNSET, job.getStatus().getStatusCode());
    }

    @Test
    void shouldStartANewTraceForARecordWithoutTraceContext() {
        Span span = traces.startJob(record("t", 0, 0L, "job-2"), job("job-2", "hi"), TraceContext.NONE);
        JobTraces.end(List.of(span), null);
        SpanData job = only(exported.getFinishedSpanItems());
        assertFalse(job.getParentSpanContext().isValid(), "a root span");
    }

    @Test
    void shouldLinkABatchOfSeveralTracesToEveryJobSpanAndNestEachModelCallUnderIt() {
        ScriptedModel model = new ScriptedModel();
        model.failBatchesAbove = 1; // the processor splits the batch of two into two calls of one
        JobProcessor processor = processor(traces.traced(model));
        PipelineRow a = row("job-a", "alpha", traceparent(TRACE_A, PARENT_A));
        PipelineRow b = row("job-b", "beta", traceparent(TRACE_B, PARENT_B));

        List<Outcome> outcomes = traces.inBatch(
                "scripted", List.of(a, b), () -> processor.process(List.of(a.job(), b.job()), (jobs, at) -> {}));
        JobTraces.end(List.of(a.span(), b.span()), null);

        assertTrue(outcomes.stream().allMatch(o -> o instanceof Outcome.Succeeded), outcomes.toString());
        List<SpanData> spans = exported.getFinishedSpanItems();
        SpanData batch = named(spans, "batch scripted").get(0);
        SpanData jobA = byId(spans, a.span().getSpanContext());
        SpanData jobB = byId(spans, b.span().getSpanContext());
        assertFalse(batch.getParentSpanContext().isValid(), "a batch of two traces has no single parent");
        assertEquals(
                Set.of(jobA.getSpanId(), jobB.getSpanId()),
                batch.getLinks().stream()
                        .map(l -> l.getSpanContext().getSpanId())
                        .collect(Collectors.toSet()),
                "the batch links every job span it served");
        assertEquals(2L, batch.getAttributes().get(AttributeKey.longKey("genfleet.batch.size")));
        for (SpanData job : List.of(jobA, jobB)) {
            assertEquals(
                    List.of(batch.getSpanId()),
                    job.getLinks().stream()
                            .map(LinkData::getSpanContext)
                            .map(SpanContext::getSpanId)
                            .toList(),
                    "each job links back to its batch");
        }
        assertEquals(TRACE_A, jobA.getTraceId());
        assertEquals(TRACE_B, jobB.getTraceId());

        List<SpanData> runs = named(spans, "run scripted");
        assertEquals(
                List.of(2L, 1L, 1L),
                runs.stream()
                        .map(r -> r.getAttributes().get(AttributeKey.longKey("genfleet.batch.size")))
                        .toList(),
                "the failed call of two, then one call per half");
        assertTrue(runs.stream().allMatch(r -> r.getParentSpanId().equals(batch.getSpanId())));
        assertTrue(runs.stream().allMatch(r -> r.getTraceId().equals(batch.getTraceId())));
        assertEquals(StatusCode.ERROR, runs.get(0).getStatus().getStatusCode());
        assertEquals(StatusCode.UNSET, runs.get(1).getStatus().getStatusCode());
    }

    @Test
    void shouldMakeABatchOfOneJobAChildOfItsJobSpanSoTheRequestsTraceShowsTheModel() {
        ScriptedModel model = new ScriptedModel();
        JobProcessor processor = processor(traces.traced(model));
        PipelineRow a = row("job-a", "alpha", traceparent(TRACE_A, PARENT_A));

        traces.inBatch("scripted", List.of(a), () -> processor.process(List.of(a.job()), (jobs, at) -> {}));
        JobTraces.end(List.of(a.span()), null);

        List<SpanData> spans = exported.getFinishedSpanItems();
        SpanData job = byId(spans, a.span().getSpanContext());
        SpanData batch = named(spans, "batch scripted").get(0);
        SpanData run = named(spans, "run scripted").get(0);
        assertEquals(PARENT_A, job.getParentSpanId());
        assertEquals(job.getSpanId(), batch.getParentSpanId());
        assertEquals(batch.getSpanId(), run.getParentSpanId());
        assertTrue(
                List.of(job, batch, run).stream().allMatch(s -> s.getTraceId().equals(TRACE_A)));
        assertEquals(job.getSpanId(), batch.getLinks().get(0).getSpanContext().getSpanId());
    }

    @Test
    void shouldEndAPollsJobSpansInErrorWhenItsTransactionFails() {
        Span span = traces.startJob(record("t", 0, 5L, "job-3"), job("job-3", "x"), traceparent(TRACE_A, PARENT_A));
        JobTraces.outcome(span, "dead_lettered", "MODEL_ERROR");
        JobTraces.end(List.of(span), new IllegalStateException("fenced"));
        SpanData job = only(exported.getFinishedSpanItems());
        assertEquals(StatusCode.ERROR, job.getStatus().getStatusCode());
        assertEquals("MODEL_ERROR", job.getAttributes().get(AttributeKey.stringKey("genfleet.reason")));
        assertEquals(1, job.getEvents().size(), "the exception is recorded");
    }

    private PipelineRow row(String id, String prompt, TraceContext trace) {
        ConsumerRecord<String, byte[]> record = record("genfleet.jobs.text.bulk", 0, 7L, id);
        JobRequest job = job(id, prompt);
        return new PipelineRow(job, record, trace, false, System.nanoTime(), traces.startJob(record, job, trace));
    }

    private static JobProcessor processor(HostedModel model) {
        return new JobProcessor(
                model,
                new CancellationRegistry(10),
                new RetryPolicy(2, Duration.ofMillis(1), 2, Duration.ofMillis(1)),
                Clock.systemUTC(),
                d -> {});
    }

    private static TraceContext traceparent(String trace, String parent) {
        return TraceContext.of("00-" + trace + "-" + parent + "-01");
    }

    private static ConsumerRecord<String, byte[]> record(String topic, int partition, long offset, String key) {
        return new ConsumerRecord<>(topic, partition, offset, key, new byte[0]);
    }

    private static JobRequest job(String id, String prompt) {
        return new JobRequest(
                id,
                "tenant-a",
                null,
                null,
                "scripted",
                Priority.INTERACTIVE,
                new TextInput(prompt, 4, 0.0, 0, 1.0, List.of(), 1L),
                Instant.now(),
                null,
                1,
                null,
                null);
    }

    private static SpanData only(List<SpanData> spans) {
        assertEquals(1, spans.size(), spans.toString());
        return spans.get(0);
    }

    private static List<SpanData> named(List<SpanData> spans, String name) {
        List<SpanData> found = new ArrayList<>();
        spans.stream().filter(s -> s.getName().equals(name)).forEach(found::add);
        assertFalse(found.isEmpty(), "no span named " + name + " in " + spans);
        return found;
    }

    private static SpanData byId(List<SpanData> spans, SpanContext context) {
        return spans.stream()
                .filter(s -> s.getSpanId().equals(context.getSpanId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("span " + context.getSpanId() + " not exported: " + spans));
    }

    /** Echoes prompts upper-cased; fails batches larger than {@code failBatchesAbove}. */
    private static final class ScriptedModel implements HostedModel {
        int failBatchesAbove = Integer.MAX_VALUE;

        @Override
        public ModelInfo info() {
            return new ModelInfo("scripted", "1", Modality.TEXT, "cpu()", 0);
        }

        @Override
        public void check(JobInput input) {}

        @Override
        public List<JobOutput> run(List<JobInput> inputs) {
            if (inputs.size() > failBatchesAbove) {
                throw new IllegalStateException("simulated: batch of " + inputs.size());
            }
            List<JobOutput> out = new ArrayList<>();
            for (JobInput in : inputs) {
                String prompt = ((TextInput) in).prompt();
                out.add(new TextOutput(prompt.toUpperCase(), "length", 1, 1, null));
            }
            return out;
        }

        @Override
        public void close() {}
    }
}
