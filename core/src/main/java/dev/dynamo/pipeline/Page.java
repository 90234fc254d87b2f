package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One page of items (or keys) on its way from a reader to a writer, exactly as DynamoDB returned
 * them: no conversion anywhere on the copy path.
 *
 * @param segment  the scan segment it came from (0 for a query)
 * @param sequence its number within the segment, as {@link SegmentAcks#pageRead} gave it
 * @param items    the items, or keys for a delete
 */
@API(status = INTERNAL, since = "0.1")
public record Page(int segment, long sequence, List<Map<String, AttributeValue>> items) {
    /** The marker that tells a consumer no more pages will come. Compared by identity. */
    static final Page END = new Page(-1, -1, List.of());
}
