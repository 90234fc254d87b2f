package dev.dynamo.copy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads the items a query selects, page by page. When the queried index does not project every
 * attribute, each page's items are replaced by the whole items, read from the table with
 * BatchGetItem by primary key, so a copy never writes a projection.
 */
final class SelectionQuery implements PagePipeline.PageProducer {
    /** Handles one page of selected items. */
    @FunctionalInterface
    interface PageHandler {
        void page(List<Map<String, AttributeValue>> items) throws InterruptedException;
    }

    private final TableReads reads;
    private final QueryRequest request;
    private final boolean fetchWholeItems;
    private final boolean consistent;
    private final double unitsPerItem;
    private final LongAdder itemsRead;
    private final PageHandler onPage;
    private double estimatedUnits;

    /**
     * @param request         the first Query request, validated and typed (by {@code QueryRunner.request}), with its page Limit
     * @param fetchWholeItems read the whole items from the table (the index does not project them all)
     * @param consistent      strongly consistent BatchGetItem reads
     * @param unitsPerItem    estimated read units per item, for the limiter
     * @param itemsRead       counts the selected items, or null
     * @param onPage          sees each page before it is handed on (it may collect keys), or null
     */
    SelectionQuery(TableReads reads, QueryRequest request, boolean fetchWholeItems, boolean consistent, double unitsPerItem,
            LongAdder itemsRead, PageHandler onPage) {
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
        long[] sequence = {0};
        forEachPage(items -> sink.put(new Page(0, sequence[0]++, items)));
    }

    /** Runs the query to the end, handing every non-empty page to {@code handler}. */
    void forEachPage(PageHandler handler) throws InterruptedException {
        Map<String, AttributeValue> startKey = null;
        do {
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
            if (!items.isEmpty()) {
                if (onPage != null) {
                    onPage.page(items);
                }
                handler.page(items);
            }
        } while (startKey != null);
    }
}
