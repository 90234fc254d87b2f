package dev.dynamo.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.items.ExportFormat;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Duration;
import java.util.Locale;

/**
 * What an export on Spark did, and its summary: one line of text (stderr), or one JSON object (stdout) with the
 * command line's fields and Spark's own.
 *
 * @param table           the table, as {@code table 'Orders' in 'prod' (us-east-1)}
 * @param location        the export's folder ({@code s3://bucket/prefix/AWSDynamoDB/ID} or a local path)
 * @param items           items in its data files (with those of segments a resumed job found finished)
 * @param files           data files in the manifest
 * @param bytes           their bytes as stored (gzip)
 * @param readUnits       read capacity units this run consumed
 * @param segments        the scan's segments
 * @param segmentsSkipped segments a resumed job found finished and did not read again
 * @param orphansDeleted  data files of failed or duplicate task attempts deleted before the manifest was written
 * @param elapsed         this run, from when Spark was up and the table checked
 */
@RecordBuilder
record SparkExportStats(String table, String location, String exportId, ExportFormat format, long items, int files, long bytes,
        double readUnits, int segments, int segmentsSkipped, int orphansDeleted, Duration elapsed, boolean resumed) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static SparkExportStatsBuilder builder() {
        return SparkExportStatsBuilder.builder();
    }

    /**
     * <pre>
     * Exported 1,000 items of table 'Orders' in 'prod' (eu-west-1) to /x/AWSDynamoDB/ID in 8 data files (1.2 MiB) in 3.1 s,
     * on Spark: 8 segments
     * </pre>
     */
    String text() {
        return String.format(Locale.ROOT, "Exported %,d %s of %s to %s in %,d data %s (%s) in %.1f s, on Spark: %,d segments%s",
                items, items == 1 ? "item" : "items", table, location, files, files == 1 ? "file" : "files", size(bytes),
                seconds(), segments,
                segmentsSkipped > 0 ? String.format(Locale.ROOT, " (%,d finished before)", segmentsSkipped) : "");
    }

    String json() {
        ObjectNode json = JSON.createObjectNode();
        json.put("table", table);
        json.put("export", location);
        json.put("exportId", exportId);
        json.put("format", format.awsName());
        json.put("items", items);
        json.put("files", files);
        json.put("bytes", bytes);
        json.put("readUnits", Math.round(readUnits * 10) / 10.0);
        json.put("seconds", Math.round(seconds() * 1000) / 1000.0);
        json.put("resumed", resumed);
        json.put("engine", "spark");
        json.put("segments", segments);
        json.put("segmentsSkipped", segmentsSkipped);
        json.put("orphansDeleted", orphansDeleted);
        return json.toString();
    }

    /** As the command line writes sizes: {@code 512 B}, {@code 4.0 KiB}, {@code 1.2 MiB}. */
    static String size(long bytes) {
        return dev.dynamo.Counts.bytes(bytes);
    }

    private double seconds() {
        return elapsed.toNanos() / 1e9;
    }
}
