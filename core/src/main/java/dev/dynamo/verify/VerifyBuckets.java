package dev.dynamo.verify;

import dev.dynamo.table.ItemDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Compares one source bucket file with the target's bucket file of the same number, in memory.
 *
 * <p>The smaller of the two files is loaded into one byte array with an open-addressing index of
 * its records (an {@code int} per slot, at most half full); the other file is streamed through
 * record by record. So memory holds one bucket: its bytes plus about 12 bytes per record. A pair
 * whose smaller file is larger than the bucket budget (DynamoDB's item count, from which the
 * number of buckets was chosen, is up to six hours old; keys may be longer than estimated) is first
 * split on disk into more buckets by a differently mixed hash of the key, recursively, so the
 * budget holds whatever the table's size. Both files are deleted once compared.
 *
 * <p>Used by one thread.
 */
final class VerifyBuckets {
    /** Splits nest at most this deep (each splits by up to {@link TableVerifier#MAX_BUCKETS}): beyond, the bucket is loaded as it is. */
    static final int MAX_LEVELS = 4;
    private static final int INTERRUPT_CHECK_RECORDS = 1 << 16;

    private final Path directory;
    private final long bucketBytes;
    private final TableComparison.Sink tally;
    private long compared;
    private long largestLoadedBytes;
    private int splits;

    /**
     * @param directory   where split files go
     * @param bucketBytes the most bytes of records to load at once
     */
    VerifyBuckets(Path directory, long bucketBytes, TableComparison.Sink tally) {
        this.directory = directory;
        this.bucketBytes = bucketBytes;
        this.tally = tally;
    }

    /** Bucket pairs compared in memory. */
    long compared() {
        return compared;
    }

    /** The largest bucket file loaded into memory, in bytes. */
    long largestLoadedBytes() {
        return largestLoadedBytes;
    }

    /** Bucket pairs that were too large and were split. */
    int splits() {
        return splits;
    }

    /**
     * Compares the records of a source bucket file with those of the target's, then deletes both.
     * A file that does not exist holds no records.
     *
     * @param level how often this pair's keys were split already (0 for the first buckets)
     */
    void compare(Path source, Path target, int level) throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while comparing");
        }
        long sourceBytes = sizeOf(source);
        long targetBytes = sizeOf(target);
        long smaller = Math.min(sourceBytes, targetBytes);
        if (smaller > bucketBytes && level < MAX_LEVELS) {
            split(source, target, level, smaller);
            return;
        }
        boolean loadSource = sourceBytes <= targetBytes;
        compareLoaded(loadSource ? source : target, loadSource ? target : source, loadSource);
        compared++;
        Files.deleteIfExists(source);
        Files.deleteIfExists(target);
    }

    private void split(Path source, Path target, int level, long smallerBytes) throws IOException, InterruptedException {
        splits++;
        int parts = (int) Math.max(2, Math.min(TableVerifier.MAX_BUCKETS, (2 * smallerBytes + bucketBytes - 1) / bucketBytes));
        String name = "split" + splits + "-level" + (level + 1);
        VerifySpool sourceParts = new VerifySpool(directory, name + "-source", parts);
        VerifySpool targetParts = new VerifySpool(directory, name + "-target", parts);
        try {
            redistribute(source, sourceParts, level + 1);
            redistribute(target, targetParts, level + 1);
        } finally {
            sourceParts.close();
            targetParts.close();
        }
        Files.deleteIfExists(source);
        Files.deleteIfExists(target);
        for (int part = 0; part < parts; part++) {
            compare(sourceParts.file(part), targetParts.file(part), level + 1);
        }
    }

    private static void redistribute(Path file, VerifySpool parts, int level) throws IOException {
        VerifySpool.Records one = new VerifySpool.Records();
        try (VerifySpool.Reader records = new VerifySpool.Reader(file)) {
            while (records.next()) {
                int part = VerifyKey.slot(VerifyKey.hash(records.key, 0, records.keyLength), level, parts.buckets());
                one.add(records.key, 0, records.keyLength, records.digest, 0);
                one.appendTo(parts, part);
            }
        }
    }

    /** Loads {@code loaded}, streams {@code streamed} through it. */
    private void compareLoaded(Path loaded, Path streamed, boolean loadedIsSource) throws IOException, InterruptedException {
        byte[] data = Files.exists(loaded) ? Files.readAllBytes(loaded) : new byte[0];
        largestLoadedBytes = Math.max(largestLoadedBytes, data.length);
        int[] offsets = new int[Math.max(16, data.length / 64)];
        int records = 0;
        for (int at = 0; at < data.length; at += 2 + keyLength(data, at) + ItemDigest.BYTES) {
            if (records == offsets.length) {
                offsets = Arrays.copyOf(offsets, records * 2);
            }
            offsets[records++] = at;
        }
        int[] slots = new int[Math.max(2, Integer.highestOneBit(Math.max(1, records) * 2 - 1) << 1)];
        boolean[] matched = new boolean[records];
        for (int i = 0; i < records; i++) {
            int at = offsets[i];
            int length = keyLength(data, at);
            int slot = find(slots, offsets, data, data, at + 2, length);
            if (slots[slot] == 0) {
                slots[slot] = i + 1;
            } else {
                matched[i] = true; // the same key twice on one side (a scan never returns that): count it once
            }
        }
        try (VerifySpool.Reader other = new VerifySpool.Reader(streamed)) {
            long read = 0;
            while (other.next()) {
                if (++read % INTERRUPT_CHECK_RECORDS == 0 && Thread.interrupted()) {
                    throw new InterruptedException("interrupted while comparing");
                }
                int slot = find(slots, offsets, data, other.key, 0, other.keyLength);
                if (slots[slot] == 0) {
                    if (loadedIsSource) {
                        tally.extra(other.key, 0, other.keyLength);
                    } else {
                        tally.missing(other.key, 0, other.keyLength);
                    }
                    continue;
                }
                int index = slots[slot] - 1;
                if (matched[index]) {
                    continue;
                }
                matched[index] = true;
                int digestAt = offsets[index] + 2 + other.keyLength;
                if (Arrays.equals(data, digestAt, digestAt + ItemDigest.BYTES, other.digest, 0, ItemDigest.BYTES)) {
                    tally.matching();
                } else {
                    tally.different(other.key, 0, other.keyLength);
                }
            }
        }
        for (int i = 0; i < records; i++) {
            if (!matched[i]) {
                if (loadedIsSource) {
                    tally.missing(data, offsets[i] + 2, keyLength(data, offsets[i]));
                } else {
                    tally.extra(data, offsets[i] + 2, keyLength(data, offsets[i]));
                }
            }
        }
    }

    /**
     * The slot of the index that holds the key {@code key[offset, offset + length)}, or the empty slot
     * where it would go (linear probing; the index is never more than half full).
     */
    private static int find(int[] slots, int[] offsets, byte[] data, byte[] key, int offset, int length) {
        int mask = slots.length - 1;
        int slot = VerifyKey.slot(VerifyKey.hash(key, offset, length), VerifyKey.INDEX_LEVEL, slots.length);
        while (slots[slot] != 0) {
            int at = offsets[slots[slot] - 1];
            if (keyLength(data, at) == length && Arrays.equals(data, at + 2, at + 2 + length, key, offset, offset + length)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private static int keyLength(byte[] data, int at) {
        return ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
    }

    private static long sizeOf(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }
}
