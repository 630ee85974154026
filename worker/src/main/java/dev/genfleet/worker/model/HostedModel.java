package dev.genfleet.worker.model;

import java.util.List;

import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.JobOutput;

/**
 * A loaded model as the fleet sees it: contract inputs in, contract outputs out, one batch at a
 * time. Adapts a {@link TextModel} or {@link ImageModel}; knows nothing about Kafka.
 */
public interface HostedModel extends AutoCloseable {

    ModelInfo info();

    /** Whether this model can run {@code input} (a text model refuses image inputs, unknown styles, …). */
    void check(JobInput input) throws IllegalArgumentException;

    /** One output per input, in order; throws when the batch as a whole failed. */
    List<JobOutput> run(List<JobInput> inputs);

    @Override
    void close();
}
