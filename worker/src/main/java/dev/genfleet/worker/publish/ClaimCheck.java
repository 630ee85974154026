package dev.genfleet.worker.publish;

import dev.genfleet.schemas.BlobRef;
import dev.genfleet.schemas.ImageArtifact;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.worker.blob.BlobStore;
import dev.genfleet.worker.run.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.jboss.logging.Logger;

/**
 * Which images of a result go by claim check (the bytes in the {@link BlobStore}, the result carrying
 * {@code blob:sha256:<hex>}) and which go inline. Without a store nothing changes: every image is inline, and a
 * result too large for its record is dead-lettered with {@code RESULT_TOO_LARGE}.
 *
 * <p>With a store: an image whose PNG is larger than {@code inline-max-bytes} goes by claim check
 * ({@link #aboveInlineMax}); and when the result's records would still not fit (over {@code max-record-bytes}, or
 * refused by the broker as too large for the topic), every image does ({@link #everyImage}). The blobs are written
 * here, before the transaction that publishes their refs begins: a committed result never names a missing blob,
 * and a rolled-back one leaves blobs that are harmless (content-addressed: the rerun names the same ones).
 */
public final class ClaimCheck {

    private static final Logger LOG = Logger.getLogger(ClaimCheck.class);

    private final BlobStore store;
    private final int inlineMaxBytes;

    private ClaimCheck(BlobStore store, int inlineMaxBytes) {
        this.store = store;
        this.inlineMaxBytes = inlineMaxBytes;
    }

    /** No store: every image inline, as before claim checks. */
    public static ClaimCheck none() {
        return new ClaimCheck(null, Integer.MAX_VALUE);
    }

    /** Images over {@code inlineMaxBytes} (and every image of a result too large inline) go to {@code store}. */
    public static ClaimCheck to(BlobStore store, int inlineMaxBytes) {
        if (store == null) {
            throw new IllegalArgumentException("store: required");
        }
        if (inlineMaxBytes < 0) {
            throw new IllegalArgumentException("inline-max-bytes must be at least 0, got " + inlineMaxBytes);
        }
        return new ClaimCheck(store, inlineMaxBytes);
    }

    /**
     * The outcome with each image larger than {@code inline-max-bytes} by claim check. An image the store cannot
     * take stays inline (logged): the result is still whole, and if it is then too large {@link #everyImage} fails.
     */
    public Outcome aboveInlineMax(Outcome outcome) {
        if (store == null) {
            return outcome;
        }
        return replace(outcome, size -> size > inlineMaxBytes, false);
    }

    /** True when {@link #everyImage} would change the outcome: a store, and an image of it inline. */
    public boolean canTakeMore(Outcome outcome) {
        return store != null
                && outcome instanceof Outcome.Succeeded ok
                && ok.output() instanceof ImageOutput images
                && images.images().stream().anyMatch(a -> a.data() != null);
    }

    /**
     * The outcome with every image by claim check: for a result whose records are too large with any inline.
     *
     * @throws UncheckedIOException when the store cannot take a blob: the poll is rolled back and runs again after
     *     a pause, as when the broker is away (dead-lettering a job because a volume hiccuped would lose it)
     */
    public Outcome everyImage(Outcome outcome) {
        if (store == null) {
            return outcome;
        }
        return replace(outcome, size -> true, true);
    }

    private Outcome replace(Outcome outcome, IntPredicate bySize, boolean required) {
        if (!(outcome instanceof Outcome.Succeeded ok) || !(ok.output() instanceof ImageOutput images)) {
            return outcome;
        }
        List<ImageArtifact> out = new ArrayList<>(images.images().size());
        boolean changed = false;
        for (ImageArtifact a : images.images()) {
            if (a.data() == null || !bySize.test(a.data().length)) {
                out.add(a);
                continue;
            }
            BlobRef ref;
            try {
                ref = store.put(a.data());
            } catch (IOException e) {
                if (required) {
                    throw new UncheckedIOException(
                            "the blob store refused an image of " + a.data().length
                                    + " bytes that the result cannot carry inline",
                            e);
                }
                LOG.warnf("the blob store refused an image of %d bytes (%s); it stays inline", a.data().length, e);
                out.add(a);
                continue;
            }
            if (!ref.sha256().equals(a.sha256())) {
                throw new IllegalStateException(
                        "image sha256 " + a.sha256() + " is not the sha256 of its bytes, " + ref.sha256());
            }
            out.add(new ImageArtifact(
                    a.mediaType(), a.sha256(), a.width(), a.height(), a.seed(), a.score(), null, ref.uri()));
            changed = true;
        }
        if (!changed) {
            return outcome;
        }
        return new Outcome.Succeeded(
                new ImageOutput(out),
                ok.attempt(),
                ok.startedAt(),
                ok.inferenceMillis(),
                ok.batchSize(),
                ok.failedAttempts(),
                ok.details());
    }
}
