package dev.genfleet.worker.model;

import dev.genfleet.inference.ModelInfo;
import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.RuntimeFingerprint;
import java.util.List;

/**
 * A loaded model as the fleet sees it: contract inputs in, contract outputs out, one batch at a
 * time. Adapts a {@link TextModel} or {@link ImageModel}; knows nothing about Kafka.
 */
public interface HostedModel extends AutoCloseable {

    ModelInfo info();

    /**
     * The tuple this model's output bits depend on (worker/README.md, "Determinism"); set on every model
     * {@link ModelRegistry#load} returns, null on one built by hand.
     */
    default RuntimeFingerprint runtime() {
        return null;
    }

    /** Whether this model can run {@code input} (a text model refuses image inputs, unknown styles, …). */
    void check(JobInput input) throws IllegalArgumentException;

    /** One output per input, in order; throws when the batch as a whole failed. */
    List<JobOutput> run(List<JobInput> inputs);

    @Override
    void close();
}
