package dev.genfleet.inference;

import java.util.List;

/** The images of one request, best realism score first. */
public record ImageGeneration(List<GeneratedImage> images) {}
