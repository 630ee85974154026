package dev.genfleet.inference;

/**
 * One PNG image and the discriminator's realism score for it (higher is more realistic, in [0, 1]).
 *
 * @param seed the latent seed this image came from (reproduces it alone)
 */
public record GeneratedImage(byte[] png, int width, int height, double realismScore, long seed) {}
