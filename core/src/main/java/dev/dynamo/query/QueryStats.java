package dev.dynamo.query;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * What a query read.
 *
 * @param count         items returned (after filters)
 * @param scannedCount  items DynamoDB evaluated (before filters)
 * @param pages         Query calls made
 * @param capacityUnits read capacity consumed, as DynamoDB reported it
 */
@API(status = STABLE, since = "0.1")
public record QueryStats(long count, long scannedCount, long pages, double capacityUnits) {
}
