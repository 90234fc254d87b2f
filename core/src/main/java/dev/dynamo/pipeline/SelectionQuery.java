package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableReads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads the items a query selects, page by page. When the queried index does not project every
 * attribute, each page's items are replaced by the whole items, read from the table with
 * BatchGetItem by primary key, so a copy never writes a projection.
 *
 * <p>As a producer with {@link SegmentAcks} (one segment, 0), it registers every page before handing
 * it on and starts after the last acknowledged page (a resumed copy continues the query from that
 * page's {@code LastEvaluatedKey}); it reads no new page once a stop is requested.
 */
@API(status = INTERNAL, since = "0.1")
public final class SelectionQuery implements PagePipeline.PageProducer {
    /** Handles one page of selected items. */
    @FunctionalInterface
    public interface PageHandler {
        void page(List<Map<String, AttributeValue>> items) throws InterruptedException;
    }

    private final TableReads reads;
    private final QueryRequest request;
    private final boolean fetchWholeItems;
    private final boolean consistent;
    private final double unitsPerItem;
    private final LongAdder itemsRead;
    private final PageHandler onPage;
    private final SegmentAcks acks;
    private final StopSignal stop;
    private double estimatedUnits;

    /** Sees each page with its {@code LastEvaluatedKey} (null after the last page). */
    @FunctionalInterface
    private interface KeyedPageHandler {
        void page(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> lastEvaluatedKey) throws InterruptedException;
    }

    /**
     * @param request         the first Query request, validated and typed (by {@code QueryRunner.request}), with its page Limit
     * @param fetchWholeItems read the whole items from the table (the index does not project them all)
     * @param consistent      strongly consistent BatchGetItem reads
     * @param unitsPerItem    estimated read units per item, for the limiter
     * @param itemsRead       counts the selected items, or null
     * @param onPage          sees each page before it is handed on (it may collect keys), or null
     */
    public SelectionQuery(TableReads reads, QueryRequest request, boolean fetchWholeItems, boolean consistent, double unitsPerItem,
            LongAdder itemsRead, PageHandler onPage) {
        this(reads, request, fetchWholeItems, consistent, unitsPerItem, itemsRead, onPage, null, new StopSignal());
    }

    /**
     * A query whose pages are tracked: see the constructor above for the other parameters.
     *
     * @param acks one segment's acknowledgements, registered page by page, or null
     * @param stop polled before each page
     */
    public SelectionQuery(TableReads reads, QueryRequest request, boolean fetchWholeItems, boolean consistent, double unitsPerItem,
            LongAdder itemsRead, PageHandler onPage, SegmentAcks acks, StopSignal stop) {
        this.acks = acks;
        this.stop = stop;
        this.reads = reads;
        this.request = request;
        this.fetchWholeItems = fetchWholeItems;
        this.consistent = consistent;
        this.unitsPerItem = unitsPerItem;
        this.itemsRead = itemsRead;
        this.onPage = onPage;
        this.estimatedUnits = Math.max(0.5, unitsPerItem * (request.limit() == null ? 1 : request.limit()));
    }

    @Override
    public void produce(PagePipeline.PageSink sink) throws InterruptedException {
        if (acks == null) {
            long[] sequence = {0};
            forEachPage(items -> sink.put(new Page(0, sequence[0]++, items)));
            return;
        }
        SegmentAcks.Checkpoint start = acks.checkpoint(0);
        if (start.finished()) {
            return;
        }
        pages(start.resumeKey(), (items, lastEvaluatedKey) -> {
            long sequence = acks.pageRead(0, items.size(), lastEvaluatedKey);
            if (!items.isEmpty()) {
                sink.put(new Page(0, sequence, items));
            }
        });
    }

    /** Runs the query to the end, handing every non-empty page to {@code handler}. */
    public void forEachPage(PageHandler handler) throws InterruptedException {
        pages(null, (items, lastEvaluatedKey) -> {
            if (!items.isEmpty()) {
                handler.page(items);
            }
        });
    }

    /** Runs the query from {@code startKey} (null: the beginning) to the end or a stop, handing on every page. */
    private void pages(Map<String, AttributeValue> startKey, KeyedPageHandler handler) throws InterruptedException {
        do {
            if (stop.requested()) {
                return;
            }
            QueryRequest pageRequest = startKey == null ? request : request.toBuilder().exclusiveStartKey(startKey).build();
            QueryResponse page = reads.query(pageRequest, estimatedUnits);
            if (page.consumedCapacity() != null && page.consumedCapacity().capacityUnits() != null) {
                estimatedUnits = Math.max(0.5, page.consumedCapacity().capacityUnits());
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            List<Map<String, AttributeValue>> items = page.items();
            if (fetchWholeItems && !items.isEmpty()) {
                List<Map<String, AttributeValue>> keys = new ArrayList<>(items.size());
                for (Map<String, AttributeValue> projected : items) {
                    keys.add(reads.table().keys().keyOf(projected));
                }
                items = reads.batchGet(keys, consistent, unitsPerItem);
            }
            if (itemsRead != null) {
                itemsRead.add(items.size());
            }
            if (!items.isEmpty() && onPage != null) {
                onPage.page(items);
            }
            handler.page(items, startKey);
        } while (startKey != null);
    }
}
