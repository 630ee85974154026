package dev.genfleet.schemas;

import java.util.List;

/** Generated images, best realism score first. */
public record ImageOutput(List<ImageArtifact> images) implements JobOutput {

    public ImageOutput {
        images = List.copyOf(Checks.required("images", images));
    }
}
