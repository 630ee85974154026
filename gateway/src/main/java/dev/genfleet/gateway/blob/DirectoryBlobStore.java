package dev.genfleet.gateway.blob;

import dev.genfleet.gateway.refusal.Refusal;
import dev.genfleet.gateway.refusal.Refused;
import dev.genfleet.schemas.BlobRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * The blob store as a directory shared with the workers: the blob of {@code sha256} lies at
 * {@code <root>/sha256/<first two hex>/<hex>} ({@link BlobRef#relativePath()}). Workers move each blob into place
 * atomically, so a file there is whole; its sha256 is still checked on every read, in a first pass that streams the
 * file, before the answer is sent: a blob that does not hold the bytes it names (a disk fault, a hand-made copy) is
 * refused rather than served under a status that says all is well. Blobs never change, so the second pass that
 * streams the answer reads the same bytes.
 */
public final class DirectoryBlobStore implements BlobStore {

    private static final Logger LOG = Logger.getLogger(DirectoryBlobStore.class);

    private final Path root;

    public DirectoryBlobStore(Path root) {
        this.root = root;
    }

    @Override
    public StoredBlob open(BlobRef ref) {
        Path file = root.resolve(ref.relativePath());
        String actual;
        long size;
        try {
            size = Files.size(file);
            actual = sha256(file);
        } catch (NoSuchFileException e) {
            LOG.warnf("blob %s is not in the blob store (%s)", ref, file);
            throw unavailable("the stored image " + ref + " is missing from the blob store");
        } catch (IOException e) {
            LOG.warnf("blob %s cannot be read from %s: %s", ref, file, e);
            throw unavailable("the stored image " + ref + " cannot be read from the blob store");
        }
        if (!actual.equals(ref.sha256())) {
            LOG.errorf("blob %s at %s holds bytes with sha256 %s: refusing to serve it", ref, file, actual);
            throw unavailable("the stored image " + ref + " does not match its sha256");
        }
        return new StoredBlob() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public void copyTo(OutputStream out) throws IOException {
                try (InputStream in = Files.newInputStream(file)) {
                    in.transferTo(out);
                }
            }
        };
    }

    private static Refused unavailable(String detail) {
        return new Refused(new Refusal.OutputUnavailable(detail));
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
