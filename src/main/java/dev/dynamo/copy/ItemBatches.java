package dev.dynamo.copy;

import dev.dynamo.table.AttributeValues;
import dev.dynamo.table.KeySchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Splits items (or keys) into BatchWriteItem batches: at most {@link CopyDefaults#MAX_BATCH_ITEMS}
 * items and {@link CopyDefaults#MAX_BATCH_BYTES} each, in order, and never two requests for the
 * same primary key in one batch (DynamoDB rejects the whole batch). A second item with a key
 * already in the current batch starts a new batch, so the later item is written after the earlier.
 */
final class ItemBatches {
    private ItemBatches() {
    }

    static List<List<Map<String, AttributeValue>>> split(List<Map<String, AttributeValue>> items, KeySchema keys) {
        List<List<Map<String, AttributeValue>>> batches = new ArrayList<>((items.size() + CopyDefaults.MAX_BATCH_ITEMS - 1)
                / CopyDefaults.MAX_BATCH_ITEMS);
        List<Map<String, AttributeValue>> batch = new ArrayList<>(CopyDefaults.MAX_BATCH_ITEMS);
        Set<String> batchKeys = new HashSet<>();
        long batchBytes = 0;
        for (Map<String, AttributeValue> item : items) {
            long bytes = ItemSize.of(item);
            String key = keyText(keys, item);
            if (!batch.isEmpty() && (batch.size() == CopyDefaults.MAX_BATCH_ITEMS
                    || batchBytes + bytes > CopyDefaults.MAX_BATCH_BYTES || batchKeys.contains(key))) {
                batches.add(batch);
                batch = new ArrayList<>(CopyDefaults.MAX_BATCH_ITEMS);
                batchKeys.clear();
                batchBytes = 0;
            }
            batch.add(item);
            batchKeys.add(key);
            batchBytes += bytes;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    /** The item's primary key as a string equal for equal keys (DynamoDB equality: 1 and 1.0 are one key). */
    static String keyText(KeySchema keys, Map<String, AttributeValue> item) {
        AttributeValue partition = item.get(keys.partitionKey().name());
        String text = partition == null ? "-" : AttributeValues.canonical(partition);
        if (keys.hasSortKey()) {
            AttributeValue sort = item.get(keys.sortKey().name());
            text += "|" + (sort == null ? "-" : AttributeValues.canonical(sort));
        }
        return text;
    }
}
