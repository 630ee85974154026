package dev.genfleet.gateway.blob;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.refusal.Refusal;
import dev.genfleet.gateway.refusal.Refused;
import dev.genfleet.schemas.BlobRef;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the bytes of a claim-checked image are: an {@code http(s)} ref is a place the client can fetch itself (an
 * object store an operator plugged in); a {@code blob:sha256:<hex>} ref is read from this gateway's blob store
 * ({@code genfleet.gateway.blobs.dir}) and checked against the image's sha256. Anything else cannot be served.
 */
@ApplicationScoped
public class StoredOutputs {

    @Inject
    GatewayConfig config;

    private BlobStore store;

    /** Where a claim-checked image's bytes are found. */
    public sealed interface Location {}

    /** At a URL the client fetches itself. */
    public record Elsewhere(URI url) implements Location {}

    /** In the blob store, checked whole. */
    public record Stored(StoredBlob blob) implements Location {}

    @PostConstruct
    void init() {
        store = config.blobs()
                .dir()
                .map(dir -> new DirectoryBlobStore(Path.of(dir)))
                .orElse(null);
    }

    /**
     * The location of the image whose claim check is {@code ref} and whose bytes have {@code sha256}.
     *
     * @throws Refused with {@code OutputUnavailable} when its bytes cannot be served
     */
    public Location locate(String ref, String sha256) {
        String scheme = scheme(ref);
        if (scheme.equals("http") || scheme.equals("https")) {
            return new Elsewhere(URI.create(ref));
        }
        BlobRef blob = BlobRef.parse(ref)
                .orElseThrow(() -> unavailable("the stored image's ref names a store this gateway cannot read ("
                        + (scheme.isEmpty() ? "no scheme" : scheme + ":") + ")"));
        if (!blob.sha256().equals(sha256)) {
            throw unavailable("the stored image's ref " + ref + " does not name its bytes (sha256 " + sha256 + ")");
        }
        if (store == null) {
            throw unavailable("this gateway has no blob store to read " + ref + " from (genfleet.gateway.blobs.dir)");
        }
        return new Stored(store.open(blob));
    }

    private static String scheme(String ref) {
        try {
            String scheme = URI.create(ref).getScheme();
            return scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static Refused unavailable(String detail) {
        return new Refused(new Refusal.OutputUnavailable(detail));
    }
}
