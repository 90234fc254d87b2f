package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.items.ItemSize;
import dev.dynamo.items.RawItems;
import dev.dynamo.table.AttributeValues;
import dev.dynamo.table.KeySchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;
import java.util.function.ToLongFunction;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Splits items (or keys) into BatchWriteItem batches: at most {@link JobDefaults#MAX_BATCH_ITEMS}
 * items and {@link JobDefaults#MAX_BATCH_BYTES} each, in order, and never two requests for the
 * same primary key in one batch (DynamoDB rejects the whole batch). A second item with a key
 * already in the current batch starts a new batch, so the later item is written after the earlier.
 *
 * <p>Each item's size is computed once, here, and handed on with the batch: the writer needs it for
 * the bytes written and the capacity estimate, and it is the costliest per-item work on the hot path.
 */
@API(status = INTERNAL, since = "0.1")
public final class ItemBatches {
    /**
     * One batch.
     *
     * @param items   the items (or keys), in order
     * @param sizes   each item's size as DynamoDB counts it, in the same order
     * @param indexes each item's position in the list that was split, in the same order
     */
    public record Batch(List<Map<String, AttributeValue>> items, long[] sizes, int[] indexes) {
        public long bytes() {
            long bytes = 0;
            for (long size : sizes) {
                bytes += size;
            }
            return bytes;
        }
    }

    /** A primary key as a value equal for keys DynamoDB holds equal (numbers by value: 1 and 1.0 are one key). */
    private record Key(Object partition, Object sort) {
    }

    private ItemBatches() {
    }

    /** Splits items, sizing each with {@link ItemSize#of}. */
    public static List<Batch> split(List<Map<String, AttributeValue>> items, KeySchema keys) {
        return split(items, keys, ItemSize::of);
    }

    /**
     * Splits items, sizing each with {@code sizeOf} (keys to delete may say 0: 25 keys of at most
     * 3 KB each are far below the batch limit).
     */
    public static List<Batch> split(List<Map<String, AttributeValue>> items, KeySchema keys, ToLongFunction<Map<String, AttributeValue>> sizeOf) {
        return split(items.size(), i -> sizeOf.applyAsLong(items.get(i)), i -> key(keys, items.get(i)), indexes -> {
            List<Map<String, AttributeValue>> chosen = new ArrayList<>(indexes.length);
            for (int i : indexes) {
                chosen.add(items.get(i));
            }
            return chosen;
        });
    }

    /** Splits a raw page, with the sizes and keys taken out when it was parsed. */
    public static List<Batch> split(RawItems items, KeySchema keys) {
        return split(items.size(), items::sizeOf, i -> key(keys, items.keyOf(i)), items::select);
    }

    private static List<Batch> split(int count, IntToLongFunction sizeOf, IntFunction<Key> keyOf,
            Function<int[], List<Map<String, AttributeValue>>> itemsOf) {
        List<Batch> batches = new ArrayList<>((count + JobDefaults.MAX_BATCH_ITEMS - 1) / JobDefaults.MAX_BATCH_ITEMS);
        int[] batch = new int[JobDefaults.MAX_BATCH_ITEMS];
        long[] sizes = new long[JobDefaults.MAX_BATCH_ITEMS];
        int batchSize = 0;
        Set<Key> batchKeys = new HashSet<>();
        long batchBytes = 0;
        for (int i = 0; i < count; i++) {
            long bytes = sizeOf.applyAsLong(i);
            Key key = keyOf.apply(i);
            if (batchSize > 0 && (batchSize == JobDefaults.MAX_BATCH_ITEMS
                    || batchBytes + bytes > JobDefaults.MAX_BATCH_BYTES || batchKeys.contains(key))) {
                batches.add(batch(batch, sizes, batchSize, itemsOf));
                batchSize = 0;
                batchKeys.clear();
                batchBytes = 0;
            }
            sizes[batchSize] = bytes;
            batch[batchSize++] = i;
            batchKeys.add(key);
            batchBytes += bytes;
        }
        if (batchSize > 0) {
            batches.add(batch(batch, sizes, batchSize, itemsOf));
        }
        return batches;
    }

    private static Batch batch(int[] batch, long[] sizes, int size, Function<int[], List<Map<String, AttributeValue>>> itemsOf) {
        int[] indexes = Arrays.copyOf(batch, size);
        return new Batch(itemsOf.apply(indexes), Arrays.copyOf(sizes, size), indexes);
    }

    private static Key key(KeySchema keys, Map<String, AttributeValue> item) {
        return new Key(keyPart(item.get(keys.partitionKey().name())),
                keys.hasSortKey() ? keyPart(item.get(keys.sortKey().name())) : null);
    }

    private static Object keyPart(AttributeValue value) {
        if (value == null) {
            return "";
        }
        return switch (value.type()) {
            case S -> value.s();
            case B -> value.b();
            case N -> number(value.n());
            default -> AttributeValues.canonical(value); // not a valid key type: DynamoDB will reject the item anyway
        };
    }

    private static Object number(String number) {
        try {
            return new BigDecimal(number).stripTrailingZeros();
        } catch (NumberFormatException e) {
            return "N:" + number;
        }
    }

    /** The item's primary key as a string equal for equal keys (DynamoDB equality: 1 and 1.0 are one key). */
    public static String keyText(KeySchema keys, Map<String, AttributeValue> item) {
        AttributeValue partition = item.get(keys.partitionKey().name());
        String text = partition == null ? "-" : AttributeValues.canonical(partition);
        if (keys.hasSortKey()) {
            AttributeValue sort = item.get(keys.sortKey().name());
            text += "|" + (sort == null ? "-" : AttributeValues.canonical(sort));
        }
        return text;
    }
}
