package dev.dynamo.copy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Per-segment acknowledgement tracking: for each scan segment, the last page whose items, and those
 * of every page before it, have all been acknowledged. This is what a checkpoint records and a
 * resumed copy restarts from: the scan of a segment continues after that page's
 * {@code LastEvaluatedKey}, so no acknowledged item is read twice and no unacknowledged item is lost.
 *
 * <p>An item is acknowledged once it has been handled for good: written, or appended to the
 * dead-letter file.
 *
 * <p>Concurrency contract: thread-safe. The reader of a segment calls {@link #pageRead} for each
 * page in scan order, <em>before</em> handing the page to the writers (the page without a
 * {@code LastEvaluatedKey} ends the segment); writers call {@link #acknowledge} from any thread, in
 * any order.
 */
public final class SegmentAcks {

    /**
     * Where a segment stands.
     *
     * @param segment        the segment number
     * @param completedPages pages of the segment completely acknowledged, counting from its start
     *                       (pages after a gap do not count until the gap closes)
     * @param resumeKey      the {@code LastEvaluatedKey} of the last completed page: resume the scan with it
     *                       as {@code ExclusiveStartKey}; null when no page is complete yet (resume from the start)
     * @param finished       the segment was read to the end and every item of it is acknowledged
     */
    public record Checkpoint(int segment, long completedPages, Map<String, AttributeValue> resumeKey, boolean finished) {
    }

    private static final class PageState {
        final long sequence;
        final Map<String, AttributeValue> lastEvaluatedKey;
        long unacknowledged;

        PageState(long sequence, long items, Map<String, AttributeValue> lastEvaluatedKey) {
            this.sequence = sequence;
            this.unacknowledged = items;
            this.lastEvaluatedKey = lastEvaluatedKey;
        }
    }

    private static final class SegmentState {
        final Deque<PageState> open = new ArrayDeque<>();
        long nextSequence;
        long completedPages;
        Map<String, AttributeValue> resumeKey;
        boolean readToEnd;
    }

    private final SegmentState[] segments;

    public SegmentAcks(int segmentCount) {
        if (segmentCount < 1) {
            throw new IllegalArgumentException("at least one segment, got " + segmentCount);
        }
        segments = new SegmentState[segmentCount];
        for (int i = 0; i < segmentCount; i++) {
            segments[i] = new SegmentState();
        }
    }

    public int segmentCount() {
        return segments.length;
    }

    /**
     * Registers the next page of a segment and returns its sequence number (0, 1, 2, ... per segment).
     *
     * @param items            how many items the page holds and will be acknowledged
     * @param lastEvaluatedKey the page's {@code LastEvaluatedKey}, or null (or empty) for the segment's last page
     */
    public synchronized long pageRead(int segment, long items, Map<String, AttributeValue> lastEvaluatedKey) {
        SegmentState state = state(segment);
        if (state.readToEnd) {
            throw new IllegalStateException("segment " + segment + " was already read to the end");
        }
        boolean last = lastEvaluatedKey == null || lastEvaluatedKey.isEmpty();
        PageState page = new PageState(state.nextSequence++, items, last ? null : Map.copyOf(lastEvaluatedKey));
        state.open.addLast(page);
        state.readToEnd = last;
        advance(state);
        return page.sequence;
    }

    /** Acknowledges {@code items} items of a page (written or dead-lettered). */
    public synchronized void acknowledge(int segment, long sequence, long items) {
        SegmentState state = state(segment);
        for (PageState page : state.open) {
            if (page.sequence == sequence) {
                if (items > page.unacknowledged) {
                    throw new IllegalStateException("segment " + segment + " page " + sequence + ": " + items
                            + " items acknowledged, but only " + page.unacknowledged + " were waiting");
                }
                page.unacknowledged -= items;
                advance(state);
                return;
            }
        }
        throw new IllegalStateException("segment " + segment + " page " + sequence + " is not waiting for acknowledgements");
    }

    public synchronized Checkpoint checkpoint(int segment) {
        SegmentState state = state(segment);
        return new Checkpoint(segment, state.completedPages, state.resumeKey, state.readToEnd && state.open.isEmpty());
    }

    /** True when every segment was read to the end and all its items are acknowledged. */
    public synchronized boolean allFinished() {
        for (SegmentState state : segments) {
            if (!state.readToEnd || !state.open.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static void advance(SegmentState state) {
        while (!state.open.isEmpty() && state.open.peekFirst().unacknowledged == 0) {
            PageState done = state.open.removeFirst();
            state.completedPages = done.sequence + 1;
            state.resumeKey = done.lastEvaluatedKey;
        }
    }

    private SegmentState state(int segment) {
        if (segment < 0 || segment >= segments.length) {
            throw new IllegalArgumentException("no segment " + segment + " (there are " + segments.length + ")");
        }
        return segments[segment];
    }
}
