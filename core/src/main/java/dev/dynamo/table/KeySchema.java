package dev.dynamo.table;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The key of a table or index.
 *
 * @param partitionKey the partition (hash) key
 * @param sortKey      the sort (range) key, or null for a simple key
 */
@API(status = STABLE, since = "0.1")
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

    /**
     * What keeps {@code item} from being an item of a table with this key, or null when nothing does:
     * a key attribute missing, or of another type (an answer about another table, or damaged).
     */
    public String problemWith(Map<String, AttributeValue> item) {
        for (KeyAttribute attribute : attributes()) {
            AttributeValue value = item.get(attribute.name());
            if (value == null) {
                return "an item without the key attribute '" + attribute.name() + "'";
            }
            if (!attribute.type().matches(value)) {
                return "an item whose key attribute '" + attribute.name() + "' is not of type " + attribute.type();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return sortKey == null ? partitionKey.toString() : partitionKey + ", " + sortKey;
    }
}
