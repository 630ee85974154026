package dev.genfleet.inference;

import java.util.List;

/** A loaded text model. Knows tensors, nothing about Kafka. Thread-safety: one batch at a time. */
public interface TextModel extends AutoCloseable {

    ModelInfo info();

    /** Generates one output per request, in order. */
    List<TextGeneration> generate(List<TextRequest> batch);

    @Override
    void close();
}
