package dev.genfleet.worker.blob;

import dev.genfleet.schemas.BlobRef;
import java.io.IOException;

/**
 * Where the worker leaves the bytes of a claim-checked image: a content-addressed store, keyed by the sha256 of the
 * bytes. Writing the same bytes twice is one blob, so a job run again after a rolled-back transaction (same seed,
 * same bytes) writes nothing new, and the blob a rolled-back run left behind is the one the rerun names.
 */
public interface BlobStore {

    /**
     * Stores the bytes (or finds them stored already) and returns their ref; when this returns, a reader finds them
     * complete under that ref. Called before the transaction that publishes the ref, so a committed result never
     * names a blob that is not there.
     */
    BlobRef put(byte[] bytes) throws IOException;
}
