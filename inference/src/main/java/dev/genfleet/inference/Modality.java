package dev.genfleet.inference;

/** What a model produces. */
public enum Modality {
    TEXT,
    IMAGE
}
