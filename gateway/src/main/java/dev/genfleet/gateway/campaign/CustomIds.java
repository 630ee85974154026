package dev.genfleet.gateway.campaign;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The custom ids an upload has seen, for refusing duplicates in a stream of any length: 64 bits of each id's
 * SHA-256 and the line it was first seen on, in an open-addressing table (16 bytes per recipient, 16 MB for a
 * million). Two different ids share 64 bits with a probability of about n²/2^65 (3·10^-8 for a million), in
 * which case the second is wrongly reported as a duplicate; nothing else is approximate.
 */
final class CustomIds {

    private final MessageDigest sha256;
    private long[] keys = new long[1024];
    private long[] lines = new long[1024];
    private int size;

    CustomIds() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records {@code customId} at {@code line}; returns the line it was first seen on, or -1 if it is new. */
    long firstSeen(String customId, long line) {
        long key = ByteBuffer.wrap(sha256.digest(customId.getBytes(StandardCharsets.UTF_8)))
                .getLong();
        if (key == 0) {
            key = 1; // 0 marks a free slot
        }
        if ((size + 1) * 2L > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = (int) (mix(key) & mask);
        while (keys[i] != 0) {
            if (keys[i] == key) {
                return lines[i];
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        lines[i] = line;
        size++;
        return -1;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldLines = lines;
        keys = new long[oldKeys.length * 2];
        lines = new long[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                int i = (int) (mix(oldKeys[j]) & mask);
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                lines[i] = oldLines[j];
            }
        }
        Arrays.fill(oldKeys, 0);
    }

    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        return k;
    }
}
