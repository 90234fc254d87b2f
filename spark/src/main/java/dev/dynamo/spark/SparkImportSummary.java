package dev.dynamo.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The summary of an import on Spark: one line of text (stderr), or one JSON object (stdout) with the command line's
 * fields ({@code dynamo import --summary json}) and Spark's own.
 */
final class SparkImportSummary {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SparkImportSummary() {
    }

    /**
     * <pre>
     * imported 20,000 items into table 'Orders' in 'dev' (us-east-1) on Spark from 8 data files (3 finished before),
     * deleted 0, failed 0, retried 3, throttled 0, 12.3 s, 1,626 records/s (~20,000 WCU)
     * </pre>
     */
    static String text(SparkImportStats stats) {
        return String.format(Locale.ROOT, "%s %,d items into %s on Spark from %,d data %s%s, deleted %,d, failed %,d, retried %,d, "
                        + "throttled %,d, %.1f s, %,.0f records/s (%s%,.0f WCU)",
                stats.failed() > 0 ? "imported with failures" : "imported", stats.written(), stats.table(), stats.files(),
                stats.files() == 1 ? "file" : "files",
                stats.filesSkipped() > 0 ? String.format(Locale.ROOT, " (%,d finished before)", stats.filesSkipped()) : "",
                stats.deleted(), stats.failed(), stats.retried(), stats.throttled(), stats.elapsed().toNanos() / 1e9,
                stats.recordsPerSecond(), stats.writeUnitsMeasured() ? "" : "~", stats.writeUnits());
    }

    static String json(SparkImportStats stats) {
        ObjectNode json = JSON.createObjectNode();
        json.put("table", stats.table());
        ArrayNode sources = json.putArray("sources");
        stats.sources().forEach(sources::add);
        json.put("engine", "spark");
        json.put("files", stats.files());
        json.put("filesSkipped", stats.filesSkipped());
        json.put("records", stats.records());
        json.put("written", stats.written());
        json.put("deleted", stats.deleted());
        json.put("failed", stats.failed());
        json.put("retried", stats.retried());
        json.put("throttled", stats.throttled());
        json.put("deadLetterDirectory", stats.failed() > 0 ? stats.deadLetterDirectory().toString() : null);
        json.putNull("backupFile");
        json.put("tableCreated", stats.tableCreated());
        json.put("writeUnits", round(stats.writeUnits()));
        json.put("writeUnitsMeasured", stats.writeUnitsMeasured());
        json.put("seconds", round(stats.elapsed().toNanos() / 1e9));
        json.put("recordsPerSecond", round(stats.recordsPerSecond()));
        json.put("resumed", stats.resumed());
        return json.toString();
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
