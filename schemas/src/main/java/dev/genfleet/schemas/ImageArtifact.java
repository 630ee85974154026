package dev.genfleet.schemas;

/**
 * One image: either inline ({@code data}) or by claim check ({@code ref}, a URI where the bytes
 * are stored), never both. {@code sha256} is over the image bytes, lowercase hex.
 *
 * @param score realism score in [0, 1] from the model's discriminator, or null
 */
public record ImageArtifact(
        String mediaType, String sha256, int width, int height, long seed, Double score, byte[] data, String ref) {

    public ImageArtifact {
        Checks.required("media_type", mediaType);
        Checks.required("sha256", sha256);
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256: expected 64 lowercase hex digits");
        }
        if (score != null && !(score >= 0 && score <= 1)) { // also refuses NaN
            throw new IllegalArgumentException("score: expected a finite number in [0, 1], got " + score);
        }
        if ((data == null) == (ref == null)) {
            throw new IllegalArgumentException("exactly one of data and ref must be set");
        }
    }
}
