package dev.dynamo.output;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Prints a stream of items in one format. Call {@link #item} for each item, {@link #flush} when a
 * page is done (so streaming formats show it at once), and {@link #finish} once at the end.
 * Not thread-safe: one printer per stream.
 */
public interface ItemPrinter {
    void item(Map<String, AttributeValue> item);

    void flush();

    /**
     * Ends the output.
     *
     * @param count        items printed
     * @param scannedCount items DynamoDB evaluated (only the ddb format shows it)
     */
    void finish(long count, long scannedCount);
}
