package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.items.ItemSize;
import dev.dynamo.table.TableSchema;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Capacity estimates made before DynamoDB has said what a call costs: for the rate limiter's first
 * reservation and for dry runs. DynamoDB's own rules: a read unit covers 4 KB strongly consistent
 * (half a unit eventually consistent), a Scan page is charged by the total size of the items it
 * reads, a write unit covers 1 KB of one item.
 */
@API(status = INTERNAL, since = "0.1")
public final class Estimates {
    /** A keys-only item is small; its size hardly matters for the estimate. */
    private static final long KEYS_ONLY_ITEM_BYTES = 100;

    private Estimates() {
    }

    /** The table's average item size from DescribeTable, or 1 KB when it says nothing. */
    public static long averageItemBytes(TableSchema table) {
        return table.itemCount() > 0 ? Math.max(1, table.sizeBytes() / table.itemCount()) : JobDefaults.WRITE_UNIT_BYTES;
    }

    /** Read units of a scan over {@code bytes} of items. */
    public static double scanUnits(long bytes, boolean consistent) {
        double units = Math.ceil((double) bytes / JobDefaults.READ_UNIT_BYTES);
        return consistent ? units : units / 2;
    }

    /** Read units of one average item read by key (BatchGetItem, or one item of a query page). */
    public static double itemUnits(TableSchema table, boolean consistent) {
        double units = Math.ceil((double) averageItemBytes(table) / JobDefaults.READ_UNIT_BYTES);
        return consistent ? units : units / 2;
    }

    /** What the first page of a scan is expected to cost. */
    public static double firstPageUnits(TableSchema table, ScanRequest request, int pageSize) {
        long itemBytes = request.projectionExpression() != null ? KEYS_ONLY_ITEM_BYTES : averageItemBytes(table);
        long pageBytes = Math.min(JobDefaults.MAX_PAGE_BYTES, itemBytes * pageSize);
        return Math.max(0.5, scanUnits(pageBytes, Boolean.TRUE.equals(request.consistentRead())));
    }

    /** Write units of writing {@code items} items of the table's average size (table only, without indexes). */
    public static double writeUnits(long items, TableSchema table) {
        return items * (double) ItemSize.writeUnits(averageItemBytes(table));
    }
}
