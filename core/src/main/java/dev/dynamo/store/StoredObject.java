package dev.dynamo.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * An object in an {@link ExportStore}.
 *
 * @param name its name relative to the store's root, '/'-separated ({@code AWSDynamoDB/0176.../data/abc.json.gz})
 * @param size its length in bytes
 * @param etag S3's ETag without the quotes (the hex MD5 for a single PUT, {@code HEX-N} for an N-part upload);
 *             for a local file the hex MD5 of its bytes, or null where it was not computed (a local listing)
 */
@API(status = INTERNAL, since = "0.1")
public record StoredObject(String name, long size, String etag) {
}
