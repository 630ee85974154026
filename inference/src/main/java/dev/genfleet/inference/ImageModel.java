package dev.genfleet.inference;

import java.util.List;

/** A loaded image model. Knows tensors, nothing about Kafka. Thread-safety: one batch at a time. */
public interface ImageModel extends AutoCloseable {

    ModelInfo info();

    /** Width and height of the images it draws, in pixels. */
    int imageSize();

    /** Style labels it was trained on; an empty list when it takes none. */
    List<String> styles();

    /** Generates the images of each request, in order. */
    List<ImageGeneration> generate(List<ImageRequest> batch);

    @Override
    void close();
}
