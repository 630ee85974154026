package dev.genfleet.worker.model;

import ai.djl.Device;
import java.nio.file.Path;

/**
 * Code that can load models of one family (the {@code family} field of a model's
 * {@code config.json}). Built-in: {@code gpt-char}, {@code dcgan}, {@code torchscript} and
 * {@code static-kv}; more come through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.genfleet.worker.model.ModelFamily}).
 */
public interface ModelFamily {

    String name();

    HostedModel load(Path versionDir, Device device);

    static ModelFamily of(String name, java.util.function.BiFunction<Path, Device, HostedModel> loader) {
        return new ModelFamily() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HostedModel load(Path versionDir, Device device) {
                return loader.apply(versionDir, device);
            }
        };
    }
}
