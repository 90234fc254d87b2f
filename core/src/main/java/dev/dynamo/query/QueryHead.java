package dev.dynamo.query;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The first item of a query, read with as few Query calls as can find it (see {@link QueryRunner#head}),
 * and how many items match when that reading happened to cover the whole result.
 *
 * @param item     the first matching item, or null when no item matches
 * @param complete the pages read were all the pages of the result, so {@code stats.count()} is its count
 * @param stats    what was read: {@code count} is the matching items on the pages read
 */
@API(status = STABLE, since = "0.1")
public record QueryHead(Map<String, AttributeValue> item, boolean complete, QueryStats stats) {

    public QueryHead {
        item = item == null ? null : Map.copyOf(item);
    }

    /** The first item, if any matches. */
    public Optional<Map<String, AttributeValue>> first() {
        return Optional.ofNullable(item);
    }

    /** How many items match, when it was known without reading more than the first item needed. */
    public OptionalLong count() {
        return complete ? OptionalLong.of(stats.count()) : OptionalLong.empty();
    }
}
