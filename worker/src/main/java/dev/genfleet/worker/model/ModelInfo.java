package dev.genfleet.worker.model;

import dev.genfleet.schemas.RuntimeFingerprint;

/**
 * What the registry knows about a loaded model: its id and version (the folder names under the model
 * directory), what it produces, the device it runs on and its size, and the tuple its outputs' bits
 * depend on ({@link RuntimeFingerprint}; set by {@link ModelRegistry#load}, null on a model loaded
 * directly).
 */
public record ModelInfo(String id, String version, Modality modality, String device, long parameters,
        RuntimeFingerprint runtime) {

    public ModelInfo(String id, String version, Modality modality, String device, long parameters) {
        this(id, version, modality, device, parameters, null);
    }

    public ModelInfo withRuntime(RuntimeFingerprint fingerprint) {
        return new ModelInfo(id, version, modality, device, parameters, fingerprint);
    }
}
