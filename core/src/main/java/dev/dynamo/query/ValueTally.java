package dev.dynamo.query;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.table.AttributeValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The distinct values of one attribute across a stream of items, with how often each occurs.
 * Memory grows with the number of distinct values, not with the number of items.
 */
@API(status = STABLE, since = "0.1")
public final class ValueTally {
    private final String attribute;
    private final Map<String, Entry> entries = new HashMap<>();
    private long missing;

    /** A distinct value and how many items have it. */
    public record Entry(AttributeValue value, long count) {
    }

    public ValueTally(String attribute) {
        this.attribute = attribute;
    }

    public String attribute() {
        return attribute;
    }

    public void add(Map<String, AttributeValue> item) {
        AttributeValue value = item.get(attribute);
        if (value == null) {
            missing++;
            return;
        }
        entries.merge(AttributeValues.canonical(value), new Entry(value, 1), (a, b) -> new Entry(a.value(), a.count() + 1));
    }

    /** The distinct values, sorted by type and then value (numbers numerically). */
    public List<Entry> sorted() {
        List<Entry> sorted = new ArrayList<>(entries.values());
        sorted.sort((a, b) -> AttributeValues.ORDER.compare(a.value(), b.value()));
        return sorted;
    }

    /** Items that do not have the attribute. */
    public long missing() {
        return missing;
    }
}
