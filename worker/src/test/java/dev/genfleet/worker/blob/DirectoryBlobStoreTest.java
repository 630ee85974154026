package dev.genfleet.worker.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.BlobRef;
import dev.genfleet.schemas.Hashes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryBlobStoreTest {

    @TempDir
    Path root;

    @Test
    void shouldStoreTheBytesUnderTheirSha256() throws Exception {
        byte[] bytes = "a banner".getBytes(StandardCharsets.UTF_8);
        String sha = Hashes.sha256Hex(bytes);

        BlobRef ref = new DirectoryBlobStore(root).put(bytes);

        assertEquals("blob:sha256:" + sha, ref.uri());
        Path file = root.resolve("sha256").resolve(sha.substring(0, 2)).resolve(sha);
        assertArrayEquals(bytes, Files.readAllBytes(file));
        assertEquals(sha, Hashes.sha256Hex(Files.readAllBytes(file)));
        // a gateway running as another user reads it
        assertTrue(Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ));
        assertEquals(List.of(file), files());
    }

    @Test
    void shouldNotWriteABlobThatIsThereAlready() throws Exception {
        DirectoryBlobStore store = new DirectoryBlobStore(root);
        byte[] bytes = new byte[4096];
        new Random(7).nextBytes(bytes);
        BlobRef first = store.put(bytes);
        Path file = store.path(first);
        FileTime then = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(file, then);

        BlobRef second = store.put(bytes.clone());

        assertEquals(first, second);
        assertEquals(then, Files.getLastModifiedTime(file), "the blob was written again");
        assertEquals(List.of(file), files(), "one blob, no temporary file left");
    }

    @Test
    void shouldLeaveOneWholeBlobWhenManyWriteItAtOnce() throws Exception {
        DirectoryBlobStore store = new DirectoryBlobStore(root);
        byte[] bytes = new byte[1 << 20];
        new Random(11).nextBytes(bytes);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<BlobRef>> writers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                writers.add(() -> store.put(bytes));
            }
            for (Future<BlobRef> f : pool.invokeAll(writers, 30, TimeUnit.SECONDS)) {
                assertEquals(BlobRef.of(bytes), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        Path file = store.path(BlobRef.of(bytes));
        assertEquals(Hashes.sha256Hex(bytes), Hashes.sha256Hex(Files.readAllBytes(file)));
        assertEquals(List.of(file), files(), "one blob, no temporary file left");
    }

    @Test
    void shouldReplaceATruncatedFileAndNeverShowAPartialBlob() throws Exception {
        DirectoryBlobStore store = new DirectoryBlobStore(root);
        byte[] bytes = "the whole image".getBytes(StandardCharsets.UTF_8);
        Path file = store.path(BlobRef.of(bytes));
        Files.createDirectories(file.getParent());
        // what a writer that did not go through the store (or a torn copy) might leave
        Files.write(file, "the whole".getBytes(StandardCharsets.UTF_8));

        store.put(bytes);

        assertArrayEquals(bytes, Files.readAllBytes(file));
        assertFalse(files().stream().anyMatch(p -> p.getFileName().toString().startsWith(".tmp-")));
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
