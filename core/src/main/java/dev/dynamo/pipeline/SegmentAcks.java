package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.apiguardian.api.API.Status.STABLE;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
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
@API(status = INTERNAL, since = "0.1")
public final class SegmentAcks {

    /**
     * Where a segment stands.
     *
     * @param segment        the segment number
     * @param completedPages pages of the segment completely acknowledged, counting from its start
     *                       (pages after a gap do not count until the gap closes)
     * @param completedItems the items of those pages
     * @param resumeKey      the {@code LastEvaluatedKey} of the last completed page: resume the scan with it
     *                       as {@code ExclusiveStartKey}; null when no page is complete yet (resume from the start)
     * @param finished       the segment was read to the end and every item of it is acknowledged
     */
    @API(status = STABLE, since = "0.1")
    public record Checkpoint(int segment, long completedPages, long completedItems, Map<String, AttributeValue> resumeKey,
            boolean finished) {

        public Checkpoint {
            if (segment < 0 || completedPages < 0 || completedItems < 0) {
                throw new IllegalArgumentException("negative segment, page or item count in a checkpoint of segment " + segment);
            }
            resumeKey = resumeKey == null || resumeKey.isEmpty() ? null : Map.copyOf(resumeKey);
            if (finished && resumeKey != null) {
                throw new IllegalArgumentException("segment " + segment + " is finished, so it has no key to resume from");
            }
            if (!finished && completedPages > 0 && resumeKey == null) {
                throw new IllegalArgumentException("segment " + segment + " has completed pages but no key to resume from");
            }
        }

        /** Where a segment stands before any page of it is read. */
        public static Checkpoint start(int segment) {
            return new Checkpoint(segment, 0, 0, null, false);
        }
    }

    private static final class PageState {
        final long sequence;
        final long items;
        final Map<String, AttributeValue> lastEvaluatedKey;
        long unacknowledged;

        PageState(long sequence, long items, Map<String, AttributeValue> lastEvaluatedKey) {
            this.sequence = sequence;
            this.items = items;
            this.unacknowledged = items;
            this.lastEvaluatedKey = lastEvaluatedKey;
        }
    }

    private static final class SegmentState {
        final Deque<PageState> open = new ArrayDeque<>();
        long nextSequence;
        long completedPages;
        long completedItems;
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

    /**
     * Acknowledgements that continue where a checkpoint left off: each segment starts with its
     * completed pages, and its next page is numbered after them.
     *
     * @param segments one checkpoint per segment, in segment order (0, 1, 2, ...)
     */
    public static SegmentAcks resume(List<Checkpoint> segments) {
        SegmentAcks acks = new SegmentAcks(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            Checkpoint checkpoint = segments.get(i);
            if (checkpoint.segment() != i) {
                throw new IllegalArgumentException("checkpoint " + i + " is of segment " + checkpoint.segment());
            }
            SegmentState state = acks.segments[i];
            state.nextSequence = checkpoint.completedPages();
            state.completedPages = checkpoint.completedPages();
            state.completedItems = checkpoint.completedItems();
            state.resumeKey = checkpoint.resumeKey();
            state.readToEnd = checkpoint.finished();
        }
        return acks;
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
        return new Checkpoint(segment, state.completedPages, state.completedItems, state.resumeKey,
                state.readToEnd && state.open.isEmpty());
    }

    /** Every segment's checkpoint, taken at one instant (what a checkpoint file records). */
    public synchronized List<Checkpoint> checkpoints() {
        List<Checkpoint> all = new ArrayList<>(segments.length);
        for (int segment = 0; segment < segments.length; segment++) {
            all.add(checkpoint(segment));
        }
        return all;
    }

    /** The items of every completed page of every segment. */
    public synchronized long completedItems() {
        long items = 0;
        for (SegmentState state : segments) {
            items += state.completedItems;
        }
        return items;
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
            state.completedItems += done.items;
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
