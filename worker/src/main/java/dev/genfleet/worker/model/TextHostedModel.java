package dev.genfleet.worker.model;

import dev.genfleet.inference.ModelInfo;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextModel;
import dev.genfleet.inference.TextRequest;
import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import java.util.ArrayList;
import java.util.List;

/** Serves a {@link TextModel} to the fleet. */
public final class TextHostedModel implements HostedModel {

    private final TextModel model;

    public TextHostedModel(TextModel model) {
        this.model = model;
    }

    @Override
    public ModelInfo info() {
        return model.info();
    }

    @Override
    public void check(JobInput input) {
        if (!(input instanceof TextInput)) {
            throw new IllegalArgumentException(
                    "model " + info().id() + " generates text; the job carries an image input");
        }
    }

    @Override
    public List<JobOutput> run(List<JobInput> inputs) {
        List<TextRequest> requests = new ArrayList<>(inputs.size());
        for (JobInput input : inputs) {
            TextInput text = (TextInput) input;
            requests.add(new TextRequest(
                    text.prompt(),
                    text.maxTokens(),
                    text.temperature(),
                    text.topK(),
                    text.topP(),
                    text.stop(),
                    text.seed()));
        }
        List<TextGeneration> generations = model.generate(requests);
        List<JobOutput> outputs = new ArrayList<>(generations.size());
        for (TextGeneration g : generations) {
            outputs.add(new TextOutput(g.text(), g.finishReason(), g.promptTokens(), g.completionTokens()));
        }
        return outputs;
    }

    @Override
    public void close() {
        model.close();
    }
}
