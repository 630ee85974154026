package dev.genfleet.worker.consume;

import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.TraceContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** One job on its way through the batcher, with the record it came from and its trace. */
public record PipelineRow(
        JobRequest job,
        ConsumerRecord<String, byte[]> source,
        TraceContext trace,
        boolean interactive,
        long enqueuedNanos) {}
