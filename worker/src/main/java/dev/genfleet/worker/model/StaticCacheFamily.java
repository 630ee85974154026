package dev.genfleet.worker.model;

import ai.djl.Device;
import dev.genfleet.inference.text.StaticCacheConfig;
import dev.genfleet.inference.text.StaticCacheTextModel;
import java.nio.file.Path;

/**
 * The {@code static-kv} model family: exported language models with a Hugging Face {@code tokenizer.json}
 * and a static key/value cache, as TorchScript (PyTorch engine) or ONNX (ONNX Runtime engine), whichever
 * {@code config.json}'s {@code format} names ({@link StaticCacheTextModel}; worker README, "TorchScript
 * models").
 */
public final class StaticCacheFamily implements ModelFamily {

    public static final String NAME = StaticCacheConfig.FAMILY;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HostedModel load(Path versionDir, Device device) {
        return new TextHostedModel(StaticCacheTextModel.load(versionDir, device, null));
    }
}
