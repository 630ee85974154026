package dev.genfleet.inference;

/**
 * What is known about a loaded model: its id and version (the folder names under the model directory),
 * what it produces, the device it runs on and its size.
 */
public record ModelInfo(String id, String version, Modality modality, String device, long parameters) {}
