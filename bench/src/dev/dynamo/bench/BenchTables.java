package dev.dynamo.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Creates, loads, counts and drops the benchmark's {@code Orders} tables. */
final class BenchTables {
    private static final int LOAD_THREADS = 6;
    private static final int BATCH_ITEMS = 25;

    private BenchTables() {
    }

    /** (Re)creates {@code table}: pk/sk strings, GSI byStatus (status, created) with ALL projection, on-demand. */
    static void recreate(DynamoDbClient client, String table) {
        drop(client, table);
        client.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        d -> d.attributeName("pk").attributeType(ScalarAttributeType.S),
                        d -> d.attributeName("sk").attributeType(ScalarAttributeType.S),
                        d -> d.attributeName("status").attributeType(ScalarAttributeType.S),
                        d -> d.attributeName("created").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(g -> g.indexName(BenchItems.GSI_NAME)
                        .keySchema(k -> k.attributeName("status").keyType(KeyType.HASH),
                                k -> k.attributeName("created").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        dev.dynamo.testing.TestTables.awaitActive(client, table);
    }

    static void drop(DynamoDbClient client, String table) {
        try {
            client.deleteTable(b -> b.tableName(table));
            // Polled, not the SDK's waiter, which sleeps 20 s after a first DELETING.
            for (int attempt = 0; attempt < 6000; attempt++) {
                client.describeTable(b -> b.tableName(table));
                Thread.sleep(50);
            }
            throw new IllegalStateException("table " + table + " was not deleted within 5 minutes");
        } catch (ResourceNotFoundException e) {
            // gone (or never there)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Loads items 0..n-1 with parallel BatchWriteItem calls; returns the bytes written (approximately). */
    static long load(DynamoDbClient client, String table, long n) throws Exception {
        return load(client, table, n, i -> BenchItems.item(i, n));
    }

    /**
     * Loads {@code itemAt.apply(i)} for i in 0..count-1 (skipping nulls) with parallel BatchWriteItem calls;
     * returns the bytes written (approximately).
     */
    static long load(DynamoDbClient client, String table, long count, LongFunction<Map<String, AttributeValue>> itemAt)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(LOAD_THREADS);
        try {
            List<Future<Long>> parts = new ArrayList<>();
            long perThread = (count + LOAD_THREADS - 1) / LOAD_THREADS;
            for (int t = 0; t < LOAD_THREADS; t++) {
                long from = Math.min(count, t * perThread);
                long to = Math.min(count, from + perThread);
                parts.add(pool.submit(() -> loadRange(client, table, from, to, itemAt)));
            }
            long bytes = 0;
            for (Future<Long> part : parts) {
                bytes += part.get();
            }
            return bytes;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static long loadRange(DynamoDbClient client, String table, long from, long to,
            LongFunction<Map<String, AttributeValue>> itemAt) {
        long bytes = 0;
        List<WriteRequest> batch = new ArrayList<>(BATCH_ITEMS);
        for (long i = from; i < to; i++) {
            Map<String, AttributeValue> item = itemAt.apply(i);
            if (item == null) {
                continue;
            }
            bytes += BenchItems.approximateSize(item);
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            if (batch.size() == BATCH_ITEMS) {
                write(client, table, batch);
                batch = new ArrayList<>(BATCH_ITEMS);
            }
        }
        if (!batch.isEmpty()) {
            write(client, table, batch);
        }
        return bytes;
    }

    /** Writes one batch, re-sending unprocessed items after a short pause until none are left. */
    static void write(DynamoDbClient client, String table, List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = new HashMap<>(Map.of(table, batch));
        int attempt = 0;
        while (!pending.isEmpty()) {
            Map<String, List<WriteRequest>> request = pending;
            BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(request));
            pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            if (!pending.isEmpty()) {
                sleep(Math.min(1000, 10L << Math.min(attempt++, 6)));
            }
        }
    }

    /** Counts a table's items with a parallel Select COUNT scan. */
    static long count(DynamoDbClient client, String table) throws Exception {
        int segments = 4;
        ExecutorService pool = Executors.newFixedThreadPool(segments);
        try {
            List<Future<Long>> parts = new ArrayList<>();
            for (int s = 0; s < segments; s++) {
                int segment = s;
                parts.add(pool.submit(() -> {
                    long count = 0;
                    Map<String, AttributeValue> start = null;
                    do {
                        Map<String, AttributeValue> from = start;
                        var page = client.scan(b -> b.tableName(table).segment(segment).totalSegments(segments)
                                .select(Select.COUNT).limit(5000).exclusiveStartKey(from));
                        count += page.count();
                        start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                    } while (start != null);
                    return count;
                }));
            }
            long total = 0;
            for (Future<Long> part : parts) {
                total += part.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Counts a table's items with one sequential Select COUNT scan (one request at a time), for polling the
     * target while a copy runs: lighter on the engine than {@link #count}, and not a snapshot (items deleted or
     * written during the scan may or may not be counted).
     */
    static long countSequentially(DynamoDbClient client, String table) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = client.scan(b -> b.tableName(table).select(Select.COUNT).limit(5000).exclusiveStartKey(from));
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    /** The items at {@code keys} (strongly consistent BatchGetItem, 100 keys a request), by key; absent keys are left out. */
    static Map<Map<String, AttributeValue>, Map<String, AttributeValue>> get(DynamoDbClient client, String table,
            List<Map<String, AttributeValue>> keys) {
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> found = new HashMap<>();
        for (int from = 0; from < keys.size(); from += 100) {
            List<Map<String, AttributeValue>> pending = keys.subList(from, Math.min(keys.size(), from + 100));
            int attempt = 0;
            while (!pending.isEmpty()) {
                List<Map<String, AttributeValue>> asked = pending;
                var response = client.batchGetItem(b -> b.requestItems(Map.of(table,
                        KeysAndAttributes.builder().keys(asked).consistentRead(true).build())));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                    found.put(Map.of("pk", item.get("pk"), "sk", item.get("sk")), item);
                }
                KeysAndAttributes unprocessed = response.hasUnprocessedKeys() ? response.unprocessedKeys().get(table) : null;
                pending = unprocessed == null ? List.of() : unprocessed.keys();
                if (!pending.isEmpty()) {
                    sleep(Math.min(1000, 10L << Math.min(attempt++, 6)));
                }
            }
        }
        return found;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
