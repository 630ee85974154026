package dev.genfleet.worker.consume;

import dev.genfleet.inference.ModelInfo;
import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.RuntimeFingerprint;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.worker.model.HostedModel;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The worker's spans, made with the OpenTelemetry API (quarkus-opentelemetry supplies the {@link Tracer} and
 * exports them where an endpoint is configured; see worker/README.md, "Telemetry").
 *
 * <ul>
 *   <li>A <b>job span</b> ({@code process <topic>}, kind CONSUMER) per job record, a child of the context the
 *       record carries ({@code ce_traceparent}: the gateway's HTTP request span), from the moment the record is
 *       read until the transaction holding its outcome commits (or rolls back: then the span ends in error and
 *       the rerun of the poll makes a new one). Its attributes name the record and the job's outcome.
 *   <li>A <b>batch span</b> ({@code batch <model>}) per model batch. A batch serves many traces, so it carries a
 *       span link to the job span of each of its rows, and each of those job spans links back to it. A batch of
 *       one job is also that job span's child, so the request's own trace reads HTTP → job → batch → model.
 *   <li>A <b>model span</b> ({@code run <model>}) per call of the model inside a batch, a child of the batch
 *       span: a batch that is split in halves after a failure, or a row retried, shows each call.
 * </ul>
 *
 * The record's own W3C context is parsed by the OpenTelemetry W3C propagator, never by hand.
 */
final class JobTraces {

    private static final TextMapGetter<TraceContext> W3C = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceContext carrier) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(TraceContext carrier, String key) {
            if (carrier == null) {
                return null;
            }
            return switch (key) {
                case "traceparent" -> carrier.traceparent();
                case "tracestate" -> carrier.tracestate();
                default -> null;
            };
        }
    };

    private final Tracer tracer;

    JobTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The context a record carries (a remote parent), or the root context when it carries none. */
    static Context parentOf(TraceContext trace) {
        if (trace == null || trace.traceparent() == null) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), trace, W3C);
    }

    /** Starts the span of one job read from {@code record}; the caller ends it with {@link #end}. */
    Span startJob(ConsumerRecord<String, byte[]> record, JobRequest job, TraceContext trace) {
        return tracer.spanBuilder("process " + record.topic())
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parentOf(trace))
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", String.valueOf(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .setAttribute("messaging.kafka.message.key", record.key() == null ? "" : record.key())
                .setAttribute("genfleet.job.id", job.jobId())
                .setAttribute("genfleet.model", job.model())
                .setAttribute("genfleet.job.attempt", (long) job.attempt())
                .startSpan();
    }

    /** Records the job's outcome on its span; failed and dead-lettered outcomes mark the span as an error. */
    static void outcome(Span span, String outcome, String reasonCode) {
        span.setAttribute("genfleet.outcome", outcome);
        if (reasonCode != null) {
            span.setAttribute("genfleet.reason", reasonCode);
        }
        if ("failed".equals(outcome) || "dead_lettered".equals(outcome)) {
            span.setStatus(StatusCode.ERROR, reasonCode == null ? outcome : reasonCode);
        }
    }

    /** Ends the job spans of a poll once its transaction committed ({@code failure} null) or failed. */
    static void end(List<Span> spans, Throwable failure) {
        for (Span span : spans) {
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR, "the poll's transaction failed; the poll is read again");
            }
            span.end();
        }
    }

    /**
     * Runs one model batch inside its batch span: linked to every row's job span (and a child of it when the
     * batch holds one row), current on this thread while {@code run} runs so that model spans nest under it.
     */
    <T> T inBatch(String model, List<PipelineRow> rows, Supplier<T> run) {
        SpanBuilder builder = tracer.spanBuilder("batch " + model)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute("genfleet.model", model)
                .setAttribute("genfleet.batch.size", (long) rows.size());
        if (rows.size() == 1 && rows.get(0).span() != null) {
            builder.setParent(Context.root().with(rows.get(0).span()));
        } else {
            builder.setNoParent();
        }
        for (PipelineRow row : rows) {
            if (row.span() != null) {
                builder.addLink(row.span().getSpanContext());
            }
        }
        Span batch = builder.startSpan();
        for (PipelineRow row : rows) {
            if (row.span() != null) {
                row.span().addLink(batch.getSpanContext());
            }
        }
        try (Scope scope = batch.makeCurrent()) {
            return run.get();
        } catch (RuntimeException | Error e) {
            batch.recordException(e);
            batch.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            batch.end();
        }
    }

    /** {@code model} with a span around each {@link HostedModel#run} call, a child of the current span. */
    HostedModel traced(HostedModel model) {
        return new TracedModel(model, tracer);
    }

    private record TracedModel(HostedModel model, Tracer tracer) implements HostedModel {

        @Override
        public ModelInfo info() {
            return model.info();
        }

        @Override
        public RuntimeFingerprint runtime() {
            return model.runtime();
        }

        @Override
        public void check(JobInput input) {
            model.check(input);
        }

        @Override
        public List<JobOutput> run(List<JobInput> inputs) {
            Span span = tracer.spanBuilder("run " + model.info().id())
                    .setSpanKind(SpanKind.INTERNAL)
                    .setAttribute("genfleet.model", model.info().id())
                    .setAttribute("genfleet.model.version", model.info().version())
                    .setAttribute("genfleet.device", String.valueOf(model.info().device()))
                    .setAttribute("genfleet.batch.size", (long) inputs.size())
                    .startSpan();
            try (Scope scope = span.makeCurrent()) {
                return model.run(inputs);
            } catch (RuntimeException | Error e) {
                span.recordException(e);
                span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
                throw e;
            } finally {
                span.end();
            }
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
