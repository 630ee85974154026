package dev.genfleet.worker.model;

/** What a model produces. */
public enum Modality {
    TEXT,
    IMAGE
}
