package dev.genfleet.worker.model;

import ai.djl.Device;
import dev.genfleet.inference.copy.BriefFormat;
import dev.genfleet.inference.text.StaticCacheConfig;
import dev.genfleet.inference.text.StaticCacheTextModel;
import java.nio.file.Path;

/**
 * The {@code static-kv} model family: exported language models with a Hugging Face {@code tokenizer.json}
 * and a static key/value cache, as TorchScript (PyTorch engine) or ONNX (ONNX Runtime engine), whichever
 * {@code config.json}'s {@code format} names ({@link StaticCacheTextModel}; worker README, "TorchScript
 * models"). A model whose {@code config.json} names a {@code prompt_format} ({@code brief-v1}) also takes
 * briefs; an unknown format, or a tokenizer without the format's tokens, is refused at load.
 */
public final class StaticCacheFamily implements ModelFamily {

    public static final String NAME = StaticCacheConfig.FAMILY;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HostedModel load(Path versionDir, Device device) {
        StaticCacheTextModel model = StaticCacheTextModel.load(versionDir, device, null);
        String format = model.config().promptFormat();
        if (format == null) {
            return new TextHostedModel(model);
        }
        try {
            return new TextHostedModel(model, BriefFormat.of(format, model.tokenizer()));
        } catch (IllegalArgumentException e) {
            model.close();
            throw new IllegalArgumentException(versionDir.resolve("config.json") + ": " + e.getMessage(), e);
        }
    }
}
