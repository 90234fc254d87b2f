package dev.dynamo.query;

/**
 * What a query read.
 *
 * @param count         items returned (after filters)
 * @param scannedCount  items DynamoDB evaluated (before filters)
 * @param pages         Query calls made
 * @param capacityUnits read capacity consumed, as DynamoDB reported it
 */
public record QueryStats(long count, long scannedCount, long pages, double capacityUnits) {
}
