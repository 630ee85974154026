package dev.genfleet.worker;

import ai.djl.Device;
import dev.genfleet.inference.Modality;
import dev.genfleet.inference.ModelInfo;
import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.worker.model.HostedModel;
import dev.genfleet.worker.model.ModelFamily;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model family for tests only, loaded through the same ServiceLoader path a user's family would
 * take: it echoes prompts and fails every time for prompts containing {@code always-fail}, which is
 * how the retry and dead-letter path is driven through the real broker; a prompt {@code huge:<n>}
 * answers {@code n} characters, to drive results near and over the record size limit.
 */
public final class FlakyModelFamily implements ModelFamily {

    @Override
    public String name() {
        return "test-flaky";
    }

    @Override
    public HostedModel load(Path versionDir, Device device) {
        return new HostedModel() {
            @Override
            public ModelInfo info() {
                return new ModelInfo("flaky", versionDir.getFileName().toString(), Modality.TEXT, "cpu()", 0);
            }

            @Override
            public void check(JobInput input) {
                if (!(input instanceof TextInput)) {
                    throw new IllegalArgumentException("flaky takes text inputs");
                }
            }

            @Override
            public List<JobOutput> run(List<JobInput> inputs) {
                List<JobOutput> out = new ArrayList<>();
                for (JobInput input : inputs) {
                    String prompt = ((TextInput) input).prompt();
                    if (prompt.contains("always-fail")) {
                        throw new IllegalStateException("flaky model refuses '" + prompt + "'");
                    }
                    if (prompt.startsWith("huge:")) {
                        int n = Integer.parseInt(prompt.substring(5).trim());
                        out.add(new TextOutput("x".repeat(n), "length", prompt.length(), n));
                        continue;
                    }
                    out.add(new TextOutput(prompt, "length", prompt.length(), prompt.length()));
                }
                return out;
            }

            @Override
            public void close() {}
        };
    }
}
