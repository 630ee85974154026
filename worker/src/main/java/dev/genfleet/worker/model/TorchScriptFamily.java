package dev.genfleet.worker.model;

import ai.djl.Device;
import com.google.gson.JsonObject;
import dev.genfleet.inference.image.TorchScriptImageModel;
import dev.genfleet.inference.text.TorchScriptTextModel;
import dev.genfleet.inference.torchscript.TorchScriptModules;
import java.nio.file.Path;

/**
 * The {@code torchscript} model family: TorchScript files ({@code torch.jit.save}) loaded through DJL's
 * {@code Criteria} on the PyTorch engine, on the registry's device. {@code config.json}'s
 * {@code modality} picks the contract: {@code TEXT} → {@link TorchScriptTextModel}, {@code IMAGE} →
 * {@link TorchScriptImageModel} (see the worker README, "TorchScript models").
 */
public final class TorchScriptFamily implements ModelFamily {

    public static final String NAME = TorchScriptModules.FAMILY;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HostedModel load(Path versionDir, Device device) {
        JsonObject config = TorchScriptModules.readConfig(versionDir);
        String modality = TorchScriptModules.string(config, "modality", "");
        return switch (modality) {
            case "TEXT" -> new TextHostedModel(TorchScriptTextModel.load(versionDir, device));
            case "IMAGE" -> new ImageHostedModel(TorchScriptImageModel.load(versionDir, device));
            default ->
                throw new IllegalArgumentException(versionDir.resolve("config.json") + ": family " + NAME
                        + " needs \"modality\": \"TEXT\" or \"IMAGE\", got '" + modality + "'");
        };
    }
}
