package dev.genfleet.inference.torchscript;

import ai.djl.Device;
import ai.djl.ModelException;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every TorchScript model of the {@code torchscript} family shares: reading its {@code config.json},
 * loading a {@code .pt} file through DJL {@link Criteria} on the PyTorch engine, running it and checking
 * what came back against the contract, with errors that name the file and the contract.
 */
public final class TorchScriptModules {

    /** The family name in {@code config.json}. */
    public static final String FAMILY = "torchscript";

    private TorchScriptModules() {}

    /** {@code versionDir/config.json} as a JSON object; IllegalArgumentException naming the file otherwise. */
    public static JsonObject readConfig(Path versionDir) {
        Path file = versionDir.resolve("config.json");
        try {
            JsonElement json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!json.isJsonObject()) {
                throw new IllegalArgumentException(file + " is not a JSON object");
            }
            return json.getAsJsonObject();
        } catch (IOException | JsonParseException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static String string(JsonObject config, String key, String fallback) {
        JsonElement e = config.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    /** A required positive integer of {@code config.json}. */
    public static int positiveInt(JsonObject config, String key, Path versionDir) {
        return positiveInt(config, key, versionDir, FAMILY);
    }

    /** A required positive integer of {@code config.json} of a model of {@code family}. */
    public static int positiveInt(JsonObject config, String key, Path versionDir, String family) {
        JsonElement e = config.get(key);
        try {
            int v = e == null ? 0 : e.getAsInt();
            if (v > 0) {
                return v;
            }
        } catch (RuntimeException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(versionDir.resolve("config.json") + ": \"" + key
                + "\" must be a positive integer (family " + family + "), got " + e);
    }

    /**
     * Loads one TorchScript file of a model folder through DJL {@link Criteria} (PyTorch engine, mapped
     * straight to {@code device}, eval mode).
     *
     * @param file a {@code .pt} file name inside {@code versionDir}, as {@code config.json} names it
     * @param contract what the module must compute, for error messages
     * @throws IllegalArgumentException when the file is missing or not a plain {@code .pt} name
     * @throws IllegalStateException when the engine cannot load it
     */
    public static ZooModel<NDList, NDList> loadModule(Path versionDir, String file, Device device, String contract) {
        if (!file.endsWith(".pt") || file.length() <= 3 || file.contains("/") || file.contains("\\")) {
            throw new IllegalArgumentException(versionDir.resolve("config.json") + ": TorchScript file '" + file
                    + "' must be a .pt file name inside " + versionDir);
        }
        Path pt = versionDir.resolve(file);
        if (!Files.isRegularFile(pt)) {
            throw new IllegalArgumentException(
                    "TorchScript file " + pt + " is missing (named by config.json); expected " + contract);
        }
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(versionDir)
                .optModelName(file.substring(0, file.length() - 3))
                .optEngine("PyTorch")
                .optDevice(device)
                .optOption("mapLocation", "true")
                .build();
        try {
            return criteria.loadModel();
        } catch (IOException | ModelException | EngineException e) {
            throw new IllegalStateException(
                    "cannot load TorchScript file " + pt + " with the PyTorch engine: " + e.getMessage()
                            + "; expected a torch.jit.save'd module with " + contract,
                    e);
        }
    }

    /** Runs a module once; an engine error becomes an IllegalStateException naming the file and the contract. */
    public static NDList forward(ZooModel<NDList, NDList> module, NDList inputs, String what) {
        try {
            return module.getBlock()
                    .forward(new ai.djl.training.ParameterStore(inputs.head().getManager(), false), inputs, false);
        } catch (EngineException e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Checks one output of a module: exactly one float32 array of {@code expected} shape; otherwise an
     * IllegalStateException that says what came back and what the contract is.
     */
    public static NDArray expect(NDList out, Shape expected, String what) {
        if (out.size() != 1) {
            throw new IllegalStateException(
                    what + " returned " + out.size() + " outputs, expected one float32 " + expected);
        }
        NDArray a = out.get(0);
        if (!a.getShape().equals(expected) || a.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException(
                    what + " returned " + a.getDataType() + " " + a.getShape() + ", expected float32 " + expected);
        }
        return a;
    }

    /** Trainable values of a loaded module (its named parameters; buffers such as running statistics excluded). */
    public static long parameterCount(ZooModel<NDList, NDList> module) {
        long n = 0;
        for (var p : module.getBlock().getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }
}
