package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.Counts;
import dev.dynamo.DynamoException;
import dev.dynamo.env.DamagedAnswer;
import dev.dynamo.env.RawBodies;
import dev.dynamo.env.ServiceErrors;
import dev.dynamo.env.StrictItems;
import dev.dynamo.items.RawItems;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apiguardian.api.API;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The reads of one table: Scan and Query pages and BatchGetItem, each metered by the table's read
 * limiter, counted in the read units, and retried by the {@link Retrier}. A failure that retries
 * cannot fix becomes a {@link DynamoException} naming the table. Thread-safe.
 */
@API(status = INTERNAL, since = "0.1")
public final class TableReads {
    private final TableRef table;
    private final Retrier retrier;
    private final JobCounters counters;

    public TableReads(TableRef table, Retrier retrier, JobCounters counters) {
        this.table = table;
        this.retrier = retrier;
        this.counters = counters;
    }

    TableRef table() {
        return table;
    }

    /** One Scan page; {@code estimatedUnits} is taken from the read limiter first. */
    public ScanResponse scan(ScanRequest request, double estimatedUnits) throws InterruptedException {
        ScanRequest metered = request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .overrideConfiguration(o -> o.putExecutionAttribute(RawBodies.RESPONSE_FILTER, StrictItems.filter("Scan"))).build();
        return metered("scanning " + table.label(), estimatedUnits, () -> {
            ScanResponse page = table.client().scan(metered);
            DamagedAnswer.checkPage("Scan", page.count(), page.hasItems(), page.items().size(), page.scannedCount(),
                    metered.limit(), filtered(metered.filterExpression(), metered.hasScanFilter()), metered.exclusiveStartKey(),
                    page.lastEvaluatedKey());
            checkItems("Scan", page.items());
            return page;
        }, ScanResponse::consumedCapacity);
    }

    /**
     * One Scan page whose items are kept as the JSON DynamoDB sent ({@link RawItems}), parsed with
     * {@code shape}; the response returned has no items.
     */
    RawPage scanRaw(ScanRequest request, double estimatedUnits, RawItems.Shape shape) throws InterruptedException {
        RawItems[] items = new RawItems[1];
        RawBodies.ResponseFilter filter = body -> {
            RawItems.Parsed parsed;
            try {
                parsed = RawItems.parse(body, shape);
            } catch (IOException e) {
                throw DamagedAnswer.asIOException("Scan", "not DynamoDB JSON (" + e.getMessage() + ")");
            }
            items[0] = parsed.items();
            return parsed.rest();
        };
        ScanRequest metered = request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .overrideConfiguration(o -> o.putExecutionAttribute(RawBodies.RESPONSE_FILTER, filter)).build();
        ScanResponse response = metered("scanning " + table.label(), estimatedUnits, () -> {
            items[0] = null; // each attempt parses its own response
            ScanResponse page = table.client().scan(metered);
            if (items[0] == null) {
                throw DamagedAnswer.of("Scan", "a body that was not read"); // no body to filter: the SDK saw none
            }
            // The body kept "Items":[] in place of the items when it had them; without them, hasItems() is false.
            DamagedAnswer.checkPage("Scan", page.count(), page.hasItems(), items[0].size(), page.scannedCount(),
                    metered.limit(), filtered(metered.filterExpression(), metered.hasScanFilter()), metered.exclusiveStartKey(),
                    page.lastEvaluatedKey());
            // The keys were taken out of the page while it was parsed: checked as they are, nothing is parsed again.
            DamagedAnswer.checkItems("Scan", items[0].keys(), table.keys()::problemWith, key -> key);
            return page;
        }, ScanResponse::consumedCapacity);
        return new RawPage(response, items[0]);
    }

    /**
     * A Scan page read by {@link #scanRaw}.
     *
     * @param response the response, without its items
     * @param items    its items
     */
    record RawPage(ScanResponse response, RawItems items) {
    }

    /** One Query page. */
    public QueryResponse query(QueryRequest request, double estimatedUnits) throws InterruptedException {
        QueryRequest metered = request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .overrideConfiguration(o -> o.putExecutionAttribute(RawBodies.RESPONSE_FILTER, StrictItems.filter("Query"))).build();
        return metered("querying " + table.label(), estimatedUnits, () -> {
            QueryResponse page = table.client().query(metered);
            DamagedAnswer.checkPage("Query", page.count(), page.hasItems(), page.items().size(), page.scannedCount(),
                    metered.limit(), filtered(metered.filterExpression(), metered.hasQueryFilter()), metered.exclusiveStartKey(),
                    page.lastEvaluatedKey());
            checkItems("Query", page.items());
            return page;
        }, QueryResponse::consumedCapacity);
    }

    /**
     * The whole items with these primary keys, {@link JobDefaults#MAX_BATCH_GET_KEYS} keys per
     * BatchGetItem, retrying UnprocessedKeys with backoff. Keys without an item (deleted since) are
     * left out. The result is in no particular order.
     */
    public List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys, boolean consistent,
            double unitsPerItem) throws InterruptedException {
        Map<String, Map<String, AttributeValue>> unique = new LinkedHashMap<>();
        for (Map<String, AttributeValue> key : keys) {
            unique.putIfAbsent(ItemBatches.keyText(table.keys(), key), key);
        }
        List<Map<String, AttributeValue>> distinct = new ArrayList<>(unique.values());
        List<Map<String, AttributeValue>> items = new ArrayList<>(distinct.size());
        for (int start = 0; start < distinct.size(); start += JobDefaults.MAX_BATCH_GET_KEYS) {
            List<Map<String, AttributeValue>> chunk = distinct.subList(start, Math.min(distinct.size(),
                    start + JobDefaults.MAX_BATCH_GET_KEYS));
            List<Map<String, AttributeValue>> absent = fetch(chunk, consistent, unitsPerItem, items);
            if (!absent.isEmpty()) {
                // Keys answered neither with an item nor as unprocessed: their items were deleted since they were listed,
                // or an answer lost them (which nothing in it gives away). Asked once more, a deleted item is absent
                // again; a lost one comes back.
                fetch(absent, consistent, unitsPerItem, items);
            }
        }
        return items;
    }

    /** Reads the items of at most 100 keys into {@code items}, retrying unprocessed keys; returns the keys without an item. */
    private List<Map<String, AttributeValue>> fetch(List<Map<String, AttributeValue>> keys, boolean consistent, double unitsPerItem,
            List<Map<String, AttributeValue>> items) throws InterruptedException {
        Map<String, Map<String, AttributeValue>> absent = new LinkedHashMap<>();
        for (Map<String, AttributeValue> key : keys) {
            absent.put(ItemBatches.keyText(table.keys(), key), key);
        }
        List<Map<String, AttributeValue>> pending = keys;
        for (int retry = 1; !pending.isEmpty(); retry++) {
            List<Map<String, AttributeValue>> asked = pending;
            Map<String, KeysAndAttributes> request = new HashMap<>();
            request.put(table.name(), KeysAndAttributes.builder().keys(asked).consistentRead(consistent).build());
            BatchGetItemResponse response = metered("reading items of " + table.label() + " (BatchGetItem)",
                    unitsPerItem * asked.size(),
                    () -> checked(table.client().batchGetItem(b -> b.requestItems(request)
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                            .overrideConfiguration(o -> o.putExecutionAttribute(RawBodies.RESPONSE_FILTER,
                                    StrictItems.filter("BatchGetItem")))), asked),
                    r -> r.hasConsumedCapacity() ? r.consumedCapacity() : List.of());
            for (Map<String, AttributeValue> item : response.responses().getOrDefault(table.name(), List.of())) {
                items.add(item);
                absent.remove(ItemBatches.keyText(table.keys(), item));
            }
            KeysAndAttributes unprocessed = response.hasUnprocessedKeys() ? response.unprocessedKeys().get(table.name()) : null;
            pending = unprocessed == null || !unprocessed.hasKeys() ? List.of() : unprocessed.keys();
            if (!pending.isEmpty()) {
                counters.throttled.increment();
                if (retry > retrier.maxRetries()) {
                    throw DynamoException.failure("DynamoDB kept " + Counts.of(pending.size(), "key", "keys") + " of " + table.describe()
                            + " unprocessed after " + Counts.of(retrier.maxRetries(), "retry", "retries") + " (BatchGetItem); lower --threads or "
                            + "--max-rcu, or try again later", null);
                }
                retrier.pause(retry);
            }
        }
        return new ArrayList<>(absent.values());
    }

    private static boolean filtered(String expression, boolean legacyFilter) {
        return expression != null && !expression.isEmpty() || legacyFilter;
    }

    /**
     * Every item of a page has this table's key, of its types, and none comes twice; an item of another table (or
     * damaged) would be written without its key, or compared as a difference. Every read here keeps the table's
     * key (a keys-only Scan projects it; every index projects it).
     */
    private void checkItems(String operation, List<Map<String, AttributeValue>> items) {
        DamagedAnswer.checkItems(operation, items, table.keys()::problemWith, table.keys()::keyOf);
    }

    /**
     * A BatchGetItem answer that can be right: Responses and UnprocessedKeys present (DynamoDB always
     * sends both), for this table only, every item and unprocessed key one that was asked for, none twice.
     */
    private BatchGetItemResponse checked(BatchGetItemResponse response, List<Map<String, AttributeValue>> asked) {
        if (!response.hasResponses() || !response.hasUnprocessedKeys()) {
            throw DamagedAnswer.of("BatchGetItem", response.hasResponses() ? "no UnprocessedKeys" : "no Responses");
        }
        for (String name : response.responses().keySet()) {
            if (!name.equals(table.name())) {
                throw DamagedAnswer.of("BatchGetItem", "items of table '" + name + "', which was not asked for");
            }
        }
        for (String name : response.unprocessedKeys().keySet()) {
            if (!name.equals(table.name())) {
                throw DamagedAnswer.of("BatchGetItem", "unprocessed keys of table '" + name + "', which was not asked for");
            }
        }
        Set<String> askedKeys = new HashSet<>();
        for (Map<String, AttributeValue> key : asked) {
            askedKeys.add(ItemBatches.keyText(table.keys(), key));
        }
        Set<String> answered = new HashSet<>();
        for (Map<String, AttributeValue> item : response.responses().getOrDefault(table.name(), List.of())) {
            String key = ItemBatches.keyText(table.keys(), item);
            if (!askedKeys.contains(key) || !answered.add(key)) {
                throw DamagedAnswer.of("BatchGetItem", askedKeys.contains(key) ? "an item twice" : "an item that was not asked for");
            }
        }
        KeysAndAttributes unprocessed = response.unprocessedKeys().get(table.name());
        if (unprocessed != null && unprocessed.hasKeys()) {
            for (Map<String, AttributeValue> key : unprocessed.keys()) {
                String text = ItemBatches.keyText(table.keys(), key);
                if (!askedKeys.contains(text) || !answered.add(text)) {
                    throw DamagedAnswer.of("BatchGetItem", "an unprocessed key that was not asked for, or also answered");
                }
            }
        }
        return response;
    }

    private <R> R metered(String action, double estimatedUnits, Retrier.Call<R> call, Function<R, Object> capacity)
            throws InterruptedException {
        try {
            return retrier.call(() -> {
                table.reads().acquire(estimatedUnits);
                R response;
                try {
                    response = call.call();
                } catch (SdkException e) {
                    table.reads().reconcile(estimatedUnits, 0);
                    throw e;
                }
                double actual = units(capacity.apply(response));
                table.reads().reconcile(estimatedUnits, actual);
                counters.readUnits.add(actual);
                return response;
            });
        } catch (Retrier.RetriesExhaustedException e) {
            throw ServiceErrors.translate(table.environment(), action + " (gave up after " + Counts.of(retrier.maxRetries(), "retry", "retries") + ")",
                    e.last());
        } catch (SdkException e) {
            throw ServiceErrors.translate(table.environment(), action, e);
        }
    }

    /** The capacity units of a response's ConsumedCapacity (one, or a list of them). */
    public static double units(Object consumed) {
        if (consumed instanceof ConsumedCapacity one) {
            return one.capacityUnits() == null ? 0 : one.capacityUnits();
        }
        if (consumed instanceof List<?> many) {
            double total = 0;
            for (Object element : many) {
                total += units(element);
            }
            return total;
        }
        return 0;
    }
}
