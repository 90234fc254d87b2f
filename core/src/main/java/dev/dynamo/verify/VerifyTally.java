package dev.dynamo.verify;

import dev.dynamo.table.KeySchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the comparison of a verification found: how many items match, are missing from the target,
 * extra in the target, or different, and the first {@code show} keys of each kind in DynamoDB's
 * key order (so the report is the same whatever order the buckets were filled in). Keys are kept
 * only while they are among the first: memory stays at {@code 3 * show} keys.
 *
 * <p>Used by the one thread that compares the buckets.
 */
final class VerifyTally implements TableComparison.Sink {
    private final KeySchema keys;
    private final FirstKeys missing;
    private final FirstKeys extra;
    private final FirstKeys different;
    private long matching;

    VerifyTally(KeySchema keys, int show) {
        this.keys = keys;
        Comparator<Map<String, AttributeValue>> order = VerifyKey.order(keys);
        this.missing = new FirstKeys(show, order);
        this.extra = new FirstKeys(show, order);
        this.different = new FirstKeys(show, order);
    }

    /** A key with the same item on both sides. */
    @Override
    public void matching() {
        matching++;
    }

    /** A key in the source only. */
    @Override
    public void missing(byte[] key, int offset, int length) {
        missing.add(keys, key, offset, length);
    }

    /** A key in the target only. */
    @Override
    public void extra(byte[] key, int offset, int length) {
        extra.add(keys, key, offset, length);
    }

    /** A key on both sides with different items. */
    @Override
    public void different(byte[] key, int offset, int length) {
        different.add(keys, key, offset, length);
    }

    long matchingCount() {
        return matching;
    }

    long missingCount() {
        return missing.count;
    }

    long extraCount() {
        return extra.count;
    }

    long differentCount() {
        return different.count;
    }

    List<Map<String, AttributeValue>> firstMissing() {
        return missing.sorted();
    }

    List<Map<String, AttributeValue>> firstExtra() {
        return extra.sorted();
    }

    List<Map<String, AttributeValue>> firstDifferent() {
        return different.sorted();
    }

    /** A count, and the {@code limit} smallest keys seen: a max-heap whose head is the first to give way. */
    private static final class FirstKeys {
        private final int limit;
        private final Comparator<Map<String, AttributeValue>> order;
        private final PriorityQueue<Map<String, AttributeValue>> largestFirst;
        long count;

        FirstKeys(int limit, Comparator<Map<String, AttributeValue>> order) {
            this.limit = limit;
            this.order = order;
            this.largestFirst = new PriorityQueue<>(Math.max(1, limit), order.reversed());
        }

        void add(KeySchema keys, byte[] key, int offset, int length) {
            count++;
            if (limit == 0) {
                return;
            }
            Map<String, AttributeValue> decoded = VerifyKey.decode(keys, key, offset, length);
            if (largestFirst.size() < limit) {
                largestFirst.add(decoded);
            } else if (order.compare(decoded, largestFirst.peek()) < 0) {
                largestFirst.poll();
                largestFirst.add(decoded);
            }
        }

        List<Map<String, AttributeValue>> sorted() {
            List<Map<String, AttributeValue>> sorted = new ArrayList<>(largestFirst);
            sorted.sort(order);
            return sorted;
        }
    }
}
