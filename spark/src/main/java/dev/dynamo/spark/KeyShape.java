package dev.dynamo.spark;

import dev.dynamo.table.AttributeValues;
import dev.dynamo.table.KeyAttribute;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.KeyType;
import dev.dynamo.verify.TableComparison;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A table's key as the tasks need it, serializable: names and types, partition key first.
 *
 * @param partitionKey     the partition key's name
 * @param partitionKeyType its type
 * @param sortKey          the sort key's name, or null
 * @param sortKeyType      its type, or null
 */
record KeyShape(String partitionKey, KeyType partitionKeyType, String sortKey, KeyType sortKeyType) implements Serializable {

    static KeyShape of(KeySchema keys) {
        return new KeyShape(keys.partitionKey().name(), keys.partitionKey().type(),
                keys.hasSortKey() ? keys.sortKey().name() : null, keys.hasSortKey() ? keys.sortKey().type() : null);
    }

    KeySchema schema() {
        return new KeySchema(new KeyAttribute(partitionKey, partitionKeyType),
                sortKey == null ? null : new KeyAttribute(sortKey, sortKeyType));
    }

    /** The key attributes of an encoded key. */
    Map<String, AttributeValue> decode(byte[] key) {
        return TableComparison.decodeKey(schema(), key, 0, key.length);
    }

    /** DynamoDB's order of encoded keys: partition key, then sort key, each by its type's order. */
    Comparator<byte[]> order() {
        return new Order(this);
    }

    private record Order(KeyShape shape) implements Comparator<byte[]>, Serializable {
        @Override
        public int compare(byte[] a, byte[] b) {
            KeySchema keys = shape.schema();
            Map<String, AttributeValue> first = TableComparison.decodeKey(keys, a, 0, a.length);
            Map<String, AttributeValue> second = TableComparison.decodeKey(keys, b, 0, b.length);
            int order = AttributeValues.ORDER.compare(first.get(shape.partitionKey()), second.get(shape.partitionKey()));
            if (order != 0 || shape.sortKey() == null) {
                return order;
            }
            return AttributeValues.ORDER.compare(first.get(shape.sortKey()), second.get(shape.sortKey()));
        }
    }
}
