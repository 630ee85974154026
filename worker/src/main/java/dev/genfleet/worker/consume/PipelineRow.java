package dev.genfleet.worker.consume;

import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.TraceContext;
import io.opentelemetry.api.trace.Span;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One job on its way through the batcher, with the record it came from, its trace context as the record
 * carries it, and the job's span ({@link JobTraces}).
 */
public record PipelineRow(
        JobRequest job,
        ConsumerRecord<String, byte[]> source,
        TraceContext trace,
        boolean interactive,
        long enqueuedNanos,
        Span span) {}
