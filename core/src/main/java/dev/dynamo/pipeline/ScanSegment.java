package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.items.RawItems;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Reads one segment of a parallel Scan page by page and hands each page on unchanged. Every page
 * is registered with the {@link SegmentAcks} before it is handed on. The request always carries a
 * {@code Limit} (the page size): without one DynamoDB Local's cost per page grows with the rows
 * left in the segment.
 *
 * <p>The scan starts where the acknowledgements say the segment stands: after the last completed
 * page of a resumed copy (its {@code LastEvaluatedKey} as {@code ExclusiveStartKey}, which
 * continues the same segment of a scan with the same {@code TotalSegments}), not at all for a
 * finished segment. It reads no new page once a stop is requested. Its first page is short
 * ({@link #FIRST_PAGE_ITEMS}), so the writers get work at once.
 */
@API(status = INTERNAL, since = "0.1")
public final class ScanSegment implements PagePipeline.PageProducer {
    private static final Logger LOG = LoggerFactory.getLogger(ScanSegment.class);

    /** The first page a segment reads is this short (later pages: the request's Limit). */
    static final int FIRST_PAGE_ITEMS = 100;

    private final TableReads reads;
    private final ScanRequest request;
    private final int segment;
    private final SegmentAcks acks;
    private final LongAdder itemsRead;
    private final StopSignal stop;
    /** How to parse pages kept as DynamoDB's JSON, or null to read them as SDK objects. */
    private final RawItems.Shape raw;
    private double estimatedUnits;

    /**
     * @param request        the Scan of the whole table: table, Limit, projection, consistency (segments are added here)
     * @param itemsRead      counts the items read, or null
     * @param estimatedUnits the read units the first page is expected to cost (later pages: the previous page's)
     */
    public ScanSegment(TableReads reads, ScanRequest request, int segment, SegmentAcks acks, LongAdder itemsRead, double estimatedUnits,
            StopSignal stop) {
        this(reads, request, segment, acks, itemsRead, estimatedUnits, stop, null);
    }

    /**
     * @param raw how to parse the pages, kept as the JSON DynamoDB sent ({@link RawItems}), or null for SDK objects
     */
    public ScanSegment(TableReads reads, ScanRequest request, int segment, SegmentAcks acks, LongAdder itemsRead, double estimatedUnits,
            StopSignal stop, RawItems.Shape raw) {
        this.raw = raw;
        this.reads = reads;
        this.request = request.toBuilder().segment(segment).totalSegments(acks.segmentCount()).build();
        this.segment = segment;
        this.acks = acks;
        this.itemsRead = itemsRead;
        this.estimatedUnits = estimatedUnits;
        this.stop = stop;
    }

    @Override
    public void produce(PagePipeline.PageSink sink) throws InterruptedException {
        SegmentAcks.Checkpoint start = acks.checkpoint(segment);
        if (start.finished()) {
            return;
        }
        Map<String, AttributeValue> startKey = start.resumeKey();
        boolean first = true;
        do {
            if (stop.requested()) {
                return;
            }
            sink.reserve(); // wait for room before reading, not with the page in hand
            ScanRequest pageRequest = startKey == null ? request : request.toBuilder().exclusiveStartKey(startKey).build();
            // A short first page: the writers start within a fraction of a second instead of waiting
            // while every segment's first 1 MB page is read and parsed by a JVM not yet warm.
            double shortBy = first && request.limit() != null && request.limit() > FIRST_PAGE_ITEMS
                    ? (double) request.limit() / FIRST_PAGE_ITEMS : 1;
            if (shortBy > 1) {
                pageRequest = pageRequest.toBuilder().limit(FIRST_PAGE_ITEMS).build();
            }
            first = false;
            ScanResponse page;
            List<Map<String, AttributeValue>> items;
            if (raw == null) {
                page = reads.scan(pageRequest, estimatedUnits / shortBy);
                items = page.items();
            } else {
                TableReads.RawPage rawPage = reads.scanRaw(pageRequest, estimatedUnits / shortBy, raw);
                page = rawPage.response();
                items = rawPage.items();
            }
            if (page.consumedCapacity() != null && page.consumedCapacity().capacityUnits() != null) {
                estimatedUnits = page.consumedCapacity().capacityUnits() * shortBy;
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            long sequence = acks.pageRead(segment, items.size(), startKey);
            if (itemsRead != null) {
                itemsRead.add(items.size());
            }
            LOG.debug("segment {}: page {} of {} items{}", segment, sequence + 1, items.size(), startKey == null ? ", the last" : "");
            if (!items.isEmpty()) {
                sink.put(new Page(segment, sequence, items));
            }
        } while (startKey != null);
        LOG.info("segment {} of {} read to its end", segment, acks.segmentCount());
    }
}
