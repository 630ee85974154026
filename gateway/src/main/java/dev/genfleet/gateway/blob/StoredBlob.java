package dev.genfleet.gateway.blob;

import java.io.IOException;
import java.io.OutputStream;

/** A blob found whole in the store: its length, and a way to copy its bytes to an answer. */
public interface StoredBlob {

    long size();

    /** Copies the bytes to {@code out}; each call reads the store again. */
    void copyTo(OutputStream out) throws IOException;
}
