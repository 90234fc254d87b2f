package dev.dynamo.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * What the digest join found, counted over keys: one per shuffle partition, merged on the driver as they come
 * ({@code reduce}), so the driver holds two at a time. Besides the counts it keeps the first {@code show} keys of each
 * kind of difference in DynamoDB's key order (the report's sample, the same whatever the partitioning), and one key
 * that a scan read twice. Keys are encoded ({@link KeyBytes}); {@link KeyShape} decodes them.
 */
final class DiffTally implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int show;
    private final Comparator<byte[]> order;
    private final long[] counts = new long[KeyOutcome.values().length];
    private final List<byte[]> missing = new ArrayList<>();
    private final List<byte[]> extra = new ArrayList<>();
    private final List<byte[]> different = new ArrayList<>();
    private byte[] repeated;
    private KeyOutcome repeatedIn;

    DiffTally(int show, Comparator<byte[]> order) {
        this.show = show;
        this.order = order;
    }

    void add(KeyOutcome outcome, byte[] key) {
        counts[outcome.ordinal()]++;
        switch (outcome) {
            case MISSING -> keep(missing, key);
            case EXTRA -> keep(extra, key);
            case DIFFERENT -> keep(different, key);
            case REPEATED_IN_SOURCE, REPEATED_IN_TARGET -> {
                if (repeated == null) {
                    repeated = key;
                    repeatedIn = outcome;
                }
            }
            default -> { }
        }
    }

    /** Adds {@code other}'s counts and keys to this one's; returns this. */
    DiffTally merge(DiffTally other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        other.missing.forEach(key -> keep(missing, key));
        other.extra.forEach(key -> keep(extra, key));
        other.different.forEach(key -> keep(different, key));
        if (repeated == null) {
            repeated = other.repeated;
            repeatedIn = other.repeatedIn;
        }
        return this;
    }

    /** Keeps {@code key} if it is among the first {@link #show} of {@code keys} (sorted, at most show). */
    private void keep(List<byte[]> keys, byte[] key) {
        if (show == 0 || (keys.size() == show && order.compare(key, keys.get(show - 1)) >= 0)) {
            return;
        }
        int at = Collections.binarySearch(keys, key, order);
        keys.add(at < 0 ? -at - 1 : at, key);
        if (keys.size() > show) {
            keys.remove(show);
        }
    }

    long count(KeyOutcome outcome) {
        return counts[outcome.ordinal()];
    }

    long sourceItems() {
        return count(KeyOutcome.MATCHING) + count(KeyOutcome.MISSING) + count(KeyOutcome.DIFFERENT);
    }

    long targetItems() {
        return count(KeyOutcome.MATCHING) + count(KeyOutcome.EXTRA) + count(KeyOutcome.DIFFERENT);
    }

    /** Keys to put (missing or different) and to delete (extra). */
    long differences() {
        return count(KeyOutcome.MISSING) + count(KeyOutcome.EXTRA) + count(KeyOutcome.DIFFERENT);
    }

    List<byte[]> firstMissing() {
        return List.copyOf(missing);
    }

    List<byte[]> firstExtra() {
        return List.copyOf(extra);
    }

    List<byte[]> firstDifferent() {
        return List.copyOf(different);
    }

    /** How many keys a scan read twice (or more), on either side. */
    long repeatedKeys() {
        return count(KeyOutcome.REPEATED_IN_SOURCE) + count(KeyOutcome.REPEATED_IN_TARGET);
    }

    /** One key a scan read twice, or null. */
    byte[] repeatedKey() {
        return repeated;
    }

    /** Whether {@link #repeatedKey} was read twice by the source's scan (else the target's). */
    boolean repeatedInSource() {
        return repeatedIn == KeyOutcome.REPEATED_IN_SOURCE;
    }
}
