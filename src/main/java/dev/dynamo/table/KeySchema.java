package dev.dynamo.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The key of a table or index.
 *
 * @param partitionKey the partition (hash) key
 * @param sortKey      the sort (range) key, or null for a simple key
 */
public record KeySchema(KeyAttribute partitionKey, KeyAttribute sortKey) {

    public boolean hasSortKey() {
        return sortKey != null;
    }

    /** The key attributes, partition key first. */
    public List<KeyAttribute> attributes() {
        List<KeyAttribute> attributes = new ArrayList<>(2);
        attributes.add(partitionKey);
        if (sortKey != null) {
            attributes.add(sortKey);
        }
        return attributes;
    }

    /** The key attribute names, partition key first. */
    public List<String> names() {
        return attributes().stream().map(KeyAttribute::name).toList();
    }

    /** The item's key: only its key attributes. */
    public Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        if (sortKey == null) {
            return Map.of(partitionKey.name(), item.get(partitionKey.name()));
        }
        return Map.of(partitionKey.name(), item.get(partitionKey.name()), sortKey.name(), item.get(sortKey.name()));
    }

    @Override
    public String toString() {
        return sortKey == null ? partitionKey.toString() : partitionKey + ", " + sortKey;
    }
}
