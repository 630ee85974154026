package dev.genfleet.worker.blob;

import dev.genfleet.schemas.BlobRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A {@link BlobStore} in a directory shared with the gateways (the local fleet's {@code .genfleet/data/blobs}, the
 * chart's ReadWriteMany volume): the blob of {@code sha256} lies at {@code <root>/sha256/<first two hex>/<hex>}.
 *
 * <p>A blob is written to a temporary file in its own directory, forced to disk, then moved into place atomically,
 * so a reader sees either no file or the whole blob, never a part; two workers writing the same blob at once both
 * end with the same complete file. A blob already present is not written again. A crash between the temporary file
 * and the move leaves a {@code .tmp-*} file behind, which a reader never takes for a blob.
 */
public final class DirectoryBlobStore implements BlobStore {

    private static final FileAttribute<?> READABLE_BY_ALL =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));

    private final Path root;

    public DirectoryBlobStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Where the blob of {@code ref} lies (whether or not it is there). */
    public Path path(BlobRef ref) {
        return root.resolve(ref.relativePath());
    }

    @Override
    public BlobRef put(byte[] bytes) throws IOException {
        BlobRef ref = BlobRef.of(bytes);
        Path target = path(ref);
        if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
            return ref; // content-addressed: the same name is the same bytes
        }
        Path dir = target.getParent();
        Files.createDirectories(dir);
        // readable by the gateways, which may run as another user (a temporary file is owner-only by default)
        Path tmp = posix(dir)
                ? Files.createTempFile(dir, ".tmp-", "", READABLE_BY_ALL)
                : Files.createTempFile(dir, ".tmp-", "");
        try {
            try (FileChannel channel =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the blob directory " + root + " cannot move files atomically", e);
            } catch (FileAlreadyExistsException e) {
                // another writer put the same bytes first
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return ref;
    }

    private static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
