package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.items.ItemSize;
import org.apiguardian.api.API;

/**
 * The copy engine's defaults and DynamoDB's own limits, in one place. The thread, segment, page and
 * queue defaults are starting points that a benchmark is expected to tune; change them here only.
 */
@API(status = INTERNAL, since = "0.1")
public final class JobDefaults {
    /** Writer threads (each one calls BatchWriteItem); also the most scan segments read at once. */
    public static final int THREADS = 8;
    /** The Scan/Query {@code Limit}: items per page. DynamoDB also ends every page at 1 MB. */
    public static final int PAGE_SIZE_ITEMS = 1000;
    /** When sizing segments from the table size: about this much data per segment. */
    static final long SEGMENT_TARGET_BYTES = 128L * 1024 * 1024;
    /** The most segments chosen automatically (DynamoDB allows up to 1,000,000). */
    static final int MAX_AUTO_SEGMENTS = 4096;
    /** How often a throttled, failed (5xx, network) or partly processed request is retried. */
    public static final int MAX_RETRIES = 10;
    /** First retry waits up to this long (full jitter: a random time between 0 and the ceiling). */
    static final long BACKOFF_BASE_MILLIS = 50;
    /** The ceiling of the retry delay never exceeds this. */
    static final long BACKOFF_CAP_MILLIS = 20_000;
    /** One attempt of a DynamoDB call that takes longer is abandoned and retried. */
    public static final long REQUEST_TIMEOUT_MILLIS = 60_000;

    /** While copying, the checkpoint is saved at most this often (and only when the acknowledged positions moved). */
    public static final long CHECKPOINT_INTERVAL_MILLIS = 1000;
    /** After a stop is requested, a copy still running this much later is interrupted (batches in flight abandoned). */
    public static final long STOP_GRACE_MILLIS = 5000;

    /** DynamoDB: at most 25 requests in one BatchWriteItem. */
    static final int MAX_BATCH_ITEMS = 25;
    /** DynamoDB: at most 16 MB in one BatchWriteItem. */
    static final long MAX_BATCH_BYTES = 16L * 1024 * 1024;
    /** DynamoDB: at most 100 keys in one BatchGetItem. */
    public static final int MAX_BATCH_GET_KEYS = 100;
    /**
     * The most scan segments a copy or verification takes (DynamoDB allows 1,000,000). Each segment
     * costs at least one Scan call even when it is empty, and one machine reads {@code --threads} of
     * them at once: 100,000 segments of the automatic 128 MB each are 12.8 TB, more than one machine
     * copies in a day. More only adds empty calls, and memory and checkpoint state per segment.
     */
    static final int MAX_SEGMENTS = 100_000;

    /** The usage error for a {@code --segments} out of range, or null when it is in range. */
    public static String segmentsProblem(int segments) {
        if (segments >= 1 && segments <= MAX_SEGMENTS) {
            return null;
        }
        return "--segments must be 1 to 100,000, not " + segments + ": each segment costs at least one Scan call and a run reads "
                + "--threads of them at once (without --segments, one per 128 MB of table is chosen)";
    }
    /** DynamoDB: a write unit covers 1 KB of item. */
    public static final long WRITE_UNIT_BYTES = ItemSize.WRITE_UNIT_BYTES;
    /** DynamoDB: a read unit covers 4 KB (a strongly consistent read; eventually consistent is half). */
    public static final long READ_UNIT_BYTES = 4096;
    /** DynamoDB: a Scan or Query page never holds more than 1 MB. */
    static final long MAX_PAGE_BYTES = 1024L * 1024;

    private JobDefaults() {
    }

    /**
     * Scan pages that may be read ahead of the writers, besides the one each writer is writing: half
     * as many as there are writers, at least 2. A writer needs a second or more per page of 1,000
     * items, a read takes a fraction of that, so a few pages ahead keep every writer busy; every page
     * more is memory the garbage collector copies (measured with bench/run: 24 pages in flight cost
     * the client about a fifth of its CPU in young collections).
     */
    public static int readAheadPages(int writers) {
        return Math.max(2, writers / 2);
    }

    /**
     * The number of scan segments for a table: at least one per writer thread so the readers can
     * keep the writers busy, more for large tables (about {@link #SEGMENT_TARGET_BYTES} each) so a
     * segment stays short, at most {@link #MAX_AUTO_SEGMENTS}.
     *
     * @param tableSizeBytes DynamoDB's size estimate of the table
     * @param threads        writer threads
     */
    static int segmentsFor(long tableSizeBytes, int threads) {
        long bySize = (Math.max(0, tableSizeBytes) + SEGMENT_TARGET_BYTES - 1) / SEGMENT_TARGET_BYTES;
        return (int) Math.max(1, Math.min(MAX_AUTO_SEGMENTS, Math.max(threads, bySize)));
    }
}
