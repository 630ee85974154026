package dev.genfleet.schemas;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The claim check of an {@link ImageArtifact} whose bytes sit in the fleet's content-addressed blob store: the ref
 * {@code blob:sha256:<64 lowercase hex>} names the content, not a place, so the worker that writes it and the
 * gateway that reads it agree without sharing anything but the store. In a directory store the blob lies at
 * {@code <root>/sha256/<first two hex>/<hex>} ({@link #relativePath()}).
 *
 * <p>Clients treat a ref as opaque: they read images through the gateway's {@code /output}. Other refs (an
 * {@code https} URL of an object store) are not blob refs; {@link #parse} answers empty for them.
 */
public record BlobRef(String sha256) {

    /** Every blob ref starts so. */
    public static final String PREFIX = "blob:sha256:";

    public BlobRef {
        Checks.required("sha256", sha256);
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256: expected 64 lowercase hex digits");
        }
    }

    /** The ref of these bytes. */
    public static BlobRef of(byte[] bytes) {
        return new BlobRef(Hashes.sha256Hex(bytes));
    }

    /** The blob ref a string names, or empty when it names something else (an https URL, a malformed ref). */
    public static Optional<BlobRef> parse(String ref) {
        if (ref == null || !ref.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String hex = ref.substring(PREFIX.length());
        return hex.matches("[0-9a-f]{64}") ? Optional.of(new BlobRef(hex)) : Optional.empty();
    }

    /** The ref as an {@link ImageArtifact} carries it. */
    public String uri() {
        return PREFIX + sha256;
    }

    /** Where a directory store keeps it, under its root: {@code sha256/<first two hex>/<hex>}. */
    public Path relativePath() {
        return Path.of("sha256", sha256.substring(0, 2), sha256);
    }

    @Override
    public String toString() {
        return uri();
    }
}
