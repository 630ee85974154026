package dev.genfleet.inference;

/**
 * One row of an image batch: {@code count} images from {@code seed}; with {@code bestOf > count} the
 * model draws {@code bestOf} candidates and keeps the {@code count} with the highest realism score.
 *
 * @param style a style label the model was conditioned on, or null for the model's default
 */
public record ImageRequest(long seed, int count, String style, int bestOf) {}
