package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.items.ItemSize;
import dev.dynamo.items.RawItems;
import dev.dynamo.table.IndexSchema;
import dev.dynamo.table.TableSchema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

/**
 * The write units DynamoDB charges for a put or a delete, estimated from the item by DynamoDB's
 * rules: one unit per started KB of the item on the table, and for each secondary index that holds
 * the item (it has the index's key attributes) one unit per started KB of what the index projects.
 *
 * <p>It is an estimate: an overwrite that changes an index key costs the index two writes, and a
 * delete is charged by the size of the item deleted, which a copy never reads (a delete is counted
 * as one unit on the table and one on each index). The copy uses it for the rate limiter's
 * reservations and, when no {@code --max-wcu} asks for DynamoDB's own figures, for the write units
 * it reports. Immutable and thread-safe.
 */
@API(status = INTERNAL, since = "0.1")
public final class WriteUnits {
    /** One index: the key attributes an item needs to be in it, and what it holds of the item. */
    private record Index(List<String> keyNames, boolean all, Set<String> projected) {
    }

    private final List<Index> indexes = new ArrayList<>();

    public WriteUnits(TableSchema table) {
        for (IndexSchema index : table.indexes()) {
            Set<String> projected = new LinkedHashSet<>(table.keys().names());
            projected.addAll(index.keys().names());
            if (index.projection().type() == ProjectionType.INCLUDE) {
                projected.addAll(index.projection().nonKeyAttributes());
            }
            indexes.add(new Index(index.keys().names(), index.projection().isAll(), Set.copyOf(projected)));
        }
    }

    /** The units of putting {@code item}, whose size ({@link ItemSize#of}) is {@code itemBytes}. */
    public double put(Map<String, AttributeValue> item, long itemBytes) {
        return put(name -> {
            AttributeValue value = item.get(name);
            return value == null ? -1 : ItemSize.of(value);
        }, itemBytes);
    }

    /** The units of putting item {@code i} of a raw page parsed with {@link #sizedNames()} sized. */
    public double put(RawItems items, int i) {
        return put(name -> items.attributeSize(i, name), items.sizeOf(i));
    }

    /** The attributes whose sizes an estimate needs: each index's key attributes and what a non-ALL index projects. */
    public Set<String> sizedNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Index index : indexes) {
            names.addAll(index.keyNames());
            if (!index.all()) {
                names.addAll(index.projected());
            }
        }
        return names;
    }

    /**
     * @param valueSize the size of an attribute's value ({@link ItemSize#of(AttributeValue)}), -1 when the item lacks it
     */
    private double put(ToLongFunction<String> valueSize, long itemBytes) {
        double units = ItemSize.writeUnits(itemBytes);
        for (Index index : indexes) {
            if (!hasAll(valueSize, index.keyNames())) {
                continue; // not in this (sparse) index
            }
            long projectedBytes = index.all() ? itemBytes : 0;
            if (!index.all()) {
                for (String name : index.projected()) {
                    long size = valueSize.applyAsLong(name);
                    if (size >= 0) {
                        projectedBytes += ItemSize.utf8Length(name) + size;
                    }
                }
            }
            units += ItemSize.writeUnits(projectedBytes);
        }
        return units;
    }

    private static boolean hasAll(ToLongFunction<String> valueSize, List<String> names) {
        for (String name : names) {
            if (valueSize.applyAsLong(name) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The units of deleting one item by its key. */
    public double delete() {
        return 1 + indexes.size();
    }
}
