package dev.genfleet.worker.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.BlobRef;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.ImageArtifact;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.worker.blob.BlobStore;
import dev.genfleet.worker.blob.DirectoryBlobStore;
import dev.genfleet.worker.run.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaimCheckTest {

    @TempDir
    Path root;

    @Test
    void shouldClaimCheckOnlyImagesOverTheInlineMax() throws Exception {
        DirectoryBlobStore store = new DirectoryBlobStore(root);
        byte[] small = bytes(100, 1);
        byte[] large = bytes(101, 2);
        Outcome out = ClaimCheck.to(store, 100).aboveInlineMax(images(small, large));

        List<ImageArtifact> images = images(out);
        assertArrayEquals(small, images.get(0).data());
        assertNull(images.get(0).ref());
        assertNull(images.get(1).data());
        assertEquals("blob:sha256:" + Hashes.sha256Hex(large), images.get(1).ref());
        assertEquals(Hashes.sha256Hex(large), images.get(1).sha256());
        assertEquals(7, images.get(1).width());
        assertArrayEquals(large, Files.readAllBytes(store.path(BlobRef.of(large))));
        assertTrue(ClaimCheck.to(store, 100).canTakeMore(out), "the small image is still inline");
    }

    @Test
    void shouldClaimCheckEveryImageWhenTheResultIsTooLargeInline() throws Exception {
        DirectoryBlobStore store = new DirectoryBlobStore(root);
        byte[] a = bytes(10, 1);
        byte[] b = bytes(10, 2);
        ClaimCheck check = ClaimCheck.to(store, 1 << 20);
        Outcome kept = check.aboveInlineMax(images(a, b));
        assertTrue(images(kept).stream().allMatch(i -> i.data() != null));

        Outcome out = check.everyImage(kept);

        for (ImageArtifact i : images(out)) {
            assertNull(i.data());
            assertEquals(
                    i.sha256(),
                    Hashes.sha256Hex(
                            Files.readAllBytes(store.path(BlobRef.parse(i.ref()).get()))));
        }
        assertFalse(check.canTakeMore(out));
    }

    @Test
    void shouldChangeNothingWithoutAStore() {
        Outcome in = images(bytes(1 << 20, 1));
        ClaimCheck none = ClaimCheck.none();
        assertSame(in, none.aboveInlineMax(in));
        assertSame(in, none.everyImage(in));
        assertFalse(none.canTakeMore(in));
    }

    @Test
    void shouldLeaveTextAndFailuresAlone() {
        ClaimCheck check = ClaimCheck.to(new DirectoryBlobStore(root), 0);
        Outcome text = new Outcome.Succeeded(new TextOutput("hi", "stop", 1, 1), 1, Instant.EPOCH, 1, 1, List.of());
        assertSame(text, check.everyImage(text));
        assertFalse(check.canTakeMore(text));
    }

    @Test
    void shouldKeepAnImageInlineWhenTheStoreFailsUnlessTheResultNeedsIt() {
        BlobStore broken = bytes -> {
            throw new IOException("volume not mounted");
        };
        Outcome in = images(bytes(500, 3));
        ClaimCheck check = ClaimCheck.to(broken, 100);

        assertArrayEquals(bytes(500, 3), images(check.aboveInlineMax(in)).get(0).data());
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> check.everyImage(in));
        assertTrue(e.getCause().getMessage().contains("volume not mounted"), e.toString());
    }

    @Test
    void shouldRefuseANegativeInlineMax() {
        assertThrows(IllegalArgumentException.class, () -> ClaimCheck.to(new DirectoryBlobStore(root), -1));
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static Outcome images(byte[]... pngs) {
        List<ImageArtifact> images = new ArrayList<>();
        for (byte[] png : pngs) {
            images.add(new ImageArtifact("image/png", Hashes.sha256Hex(png), 7, 7, 1, 0.5, png, null));
        }
        return new Outcome.Succeeded(new ImageOutput(images), 1, Instant.EPOCH, 3, 1, List.of());
    }

    private static List<ImageArtifact> images(Outcome outcome) {
        return ((ImageOutput) ((Outcome.Succeeded) outcome).output()).images();
    }
}
