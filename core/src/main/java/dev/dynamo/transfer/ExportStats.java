package dev.dynamo.transfer;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.items.ExportFormat;
import org.apiguardian.api.API;

/**
 * What an export did.
 *
 * @param table      the table, as {@code table 'Orders' in 'prod' (eu-west-1)}
 * @param location   the export's folder ({@code s3://bucket/prefix/AWSDynamoDB/ID} or a local path)
 * @param exportId   its id
 * @param items      items in its data files
 * @param files      data files
 * @param bytes      bytes of the data files as stored (gzip)
 * @param readUnits  read capacity units consumed (this run)
 * @param millis     how long this run took
 * @param resumed    this run continued a stopped export
 */
@API(status = INTERNAL, since = "0.1")
public record ExportStats(String table, String location, String exportId, ExportFormat format, long items, int files, long bytes,
        double readUnits, long millis, boolean resumed) {
}
