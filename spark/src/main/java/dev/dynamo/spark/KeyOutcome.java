package dev.dynamo.spark;

import dev.dynamo.table.ItemDigest;
import java.util.Arrays;

/**
 * What the digest join found for one key, from the records its two scans emitted: each record is the side's tag
 * ({@link #SOURCE_TAG} or {@link #TARGET_TAG}) followed by the item's {@link ItemDigest} (the comparison of
 * {@code dynamo verify}: type-exact, numbers by value, sets in any order).
 */
enum KeyOutcome {
    /** The same item on both sides. */
    MATCHING,
    /** In the source only. */
    MISSING,
    /** In the target only. */
    EXTRA,
    /** On both sides, with different items. */
    DIFFERENT,
    /** Read more than once by the source's scan: an answer not to trust. */
    REPEATED_IN_SOURCE,
    /** Read more than once by the target's scan. */
    REPEATED_IN_TARGET;

    static final byte SOURCE_TAG = 0;
    static final byte TARGET_TAG = 1;
    /** A record: its side's tag, then the digest. */
    static final int RECORD_BYTES = 1 + ItemDigest.BYTES;

    /** A record of an item read from the side tagged {@code tag}. */
    static byte[] record(byte tag, byte[] digest) {
        byte[] record = new byte[RECORD_BYTES];
        record[0] = tag;
        System.arraycopy(digest, 0, record, 1, ItemDigest.BYTES);
        return record;
    }

    /** The outcome of a key with these records (at least one). */
    static KeyOutcome of(Iterable<byte[]> records) {
        byte[] source = null;
        byte[] target = null;
        for (byte[] record : records) {
            if (record.length != RECORD_BYTES) {
                throw new IllegalStateException("a digest record of " + record.length + " bytes");
            }
            if (record[0] == SOURCE_TAG) {
                if (source != null) {
                    return REPEATED_IN_SOURCE;
                }
                source = record;
            } else {
                if (target != null) {
                    return REPEATED_IN_TARGET;
                }
                target = record;
            }
        }
        if (source == null) {
            return EXTRA;
        }
        if (target == null) {
            return MISSING;
        }
        return Arrays.equals(source, 1, RECORD_BYTES, target, 1, RECORD_BYTES) ? MATCHING : DIFFERENT;
    }
}
