package dev.genfleet.gateway.blob;

import dev.genfleet.gateway.refusal.Refused;
import dev.genfleet.schemas.BlobRef;

/**
 * Where the gateway reads claim-checked images that the workers wrote (content-addressed by sha256; the worker
 * README's "Claim check"). One implementation today, a shared directory; an object store would be another.
 */
public interface BlobStore {

    /**
     * The blob of {@code ref}, its bytes checked against {@code ref}'s sha256.
     *
     * @throws Refused with {@code OutputUnavailable} when the blob is missing, unreadable or not the bytes it names
     */
    StoredBlob open(BlobRef ref);
}
