package dev.genfleet.worker.model;

import dev.genfleet.inference.GeneratedImage;
import dev.genfleet.inference.ImageGeneration;
import dev.genfleet.inference.ImageModel;
import dev.genfleet.inference.ImageRequest;
import dev.genfleet.inference.ModelInfo;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.ImageArtifact;
import dev.genfleet.schemas.ImageInput;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.JobOutput;
import java.util.ArrayList;
import java.util.List;

/** Serves an {@link ImageModel} to the fleet; images travel inline as PNG with their sha256. */
public final class ImageHostedModel implements HostedModel {

    private final ImageModel model;

    public ImageHostedModel(ImageModel model) {
        this.model = model;
    }

    @Override
    public ModelInfo info() {
        return model.info();
    }

    @Override
    public void check(JobInput input) {
        if (!(input instanceof ImageInput image)) {
            throw new IllegalArgumentException(
                    "model " + info().id() + " generates images; the job carries a text input");
        }
        if (image.size() != null && image.size() != model.imageSize()) {
            throw new IllegalArgumentException("model " + info().id() + " draws " + model.imageSize() + "×"
                    + model.imageSize() + " images; size " + image.size() + " is not available");
        }
        if (image.style() != null && !model.styles().contains(image.style())) {
            throw new IllegalArgumentException(
                    "model " + info().id() + " has no style '" + image.style() + "'; styles: " + model.styles());
        }
    }

    @Override
    public List<JobOutput> run(List<JobInput> inputs) {
        List<ImageRequest> requests = new ArrayList<>(inputs.size());
        for (JobInput input : inputs) {
            ImageInput image = (ImageInput) input;
            requests.add(new ImageRequest(image.seed(), image.count(), image.style(), image.bestOf()));
        }
        List<ImageGeneration> generations = model.generate(requests);
        List<JobOutput> outputs = new ArrayList<>(generations.size());
        for (ImageGeneration generation : generations) {
            List<ImageArtifact> artifacts = new ArrayList<>();
            for (GeneratedImage img : generation.images()) {
                artifacts.add(new ImageArtifact(
                        "image/png",
                        Hashes.sha256Hex(img.png()),
                        img.width(),
                        img.height(),
                        img.seed(),
                        img.realismScore(),
                        img.png(),
                        null));
            }
            outputs.add(new ImageOutput(artifacts));
        }
        return outputs;
    }

    @Override
    public void close() {
        model.close();
    }
}
