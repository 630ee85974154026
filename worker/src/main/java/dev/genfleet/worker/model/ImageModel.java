package dev.genfleet.worker.model;

import java.util.List;

/** A loaded image model. Knows tensors, nothing about Kafka. Thread-safety: one batch at a time. */
public interface ImageModel extends AutoCloseable {

    ModelInfo info();

    /** Generates the images of each request, in order. */
    List<ImageGeneration> generate(List<ImageRequest> batch);

    @Override
    void close();
}
