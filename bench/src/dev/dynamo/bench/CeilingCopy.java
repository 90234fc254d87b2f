package dev.dynamo.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The ceiling: the smallest correct copy pipeline written directly on the AWS SDK. Parallel
 * segmented Scan (page Limit 1000) on the source, a bounded queue, parallel 25-item BatchWriteItem
 * on the target, unprocessed items re-sent. No statistics, no rate limit, no checks: the fastest
 * any client can copy on these servers.
 */
final class CeilingCopy {
    private static final int SCAN_PAGE_ITEMS = 1000;
    private static final int BATCH_ITEMS = 25;
    private static final List<Map<String, AttributeValue>> END = List.of();

    private CeilingCopy() {
    }

    /** Copies every item; returns the number written. */
    static long copy(DynamoDbClient source, String sourceTable, DynamoDbClient target, String targetTable,
            int segments, int writers) throws Exception {
        BlockingQueue<List<Map<String, AttributeValue>>> queue = new ArrayBlockingQueue<>(writers * 2);
        ExecutorService pool = Executors.newFixedThreadPool(segments + writers);
        AtomicLong written = new AtomicLong();
        try {
            List<Future<?>> scanners = new ArrayList<>();
            for (int s = 0; s < segments; s++) {
                int segment = s;
                scanners.add(pool.submit(() -> {
                    Map<String, AttributeValue> start = null;
                    do {
                        Map<String, AttributeValue> from = start;
                        ScanResponse page = source.scan(b -> b.tableName(sourceTable).segment(segment).totalSegments(segments)
                                .limit(SCAN_PAGE_ITEMS).exclusiveStartKey(from));
                        if (!page.items().isEmpty()) {
                            queue.put(page.items());
                        }
                        start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                    } while (start != null);
                    return null;
                }));
            }
            List<Future<?>> writerTasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                writerTasks.add(pool.submit(() -> {
                    for (List<Map<String, AttributeValue>> page = queue.take(); page != END; page = queue.take()) {
                        for (int from = 0; from < page.size(); from += BATCH_ITEMS) {
                            List<WriteRequest> batch = new ArrayList<>(BATCH_ITEMS);
                            for (Map<String, AttributeValue> item : page.subList(from, Math.min(page.size(), from + BATCH_ITEMS))) {
                                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                            }
                            BenchTables.write(target, targetTable, batch);
                            written.addAndGet(batch.size());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> scanner : scanners) {
                scanner.get();
            }
            for (int w = 0; w < writers; w++) {
                queue.put(END);
            }
            for (Future<?> writer : writerTasks) {
                writer.get();
            }
            return written.get();
        } finally {
            pool.shutdownNow();
        }
    }
}
