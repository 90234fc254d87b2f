package dev.dynamo.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/** The summary of a copy on Spark: one line of text (stderr), or one JSON object (stdout) with the command line's fields. */
final class SparkCopySummary {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SparkCopySummary() {
    }

    /**
     * <pre>
     * copied table 'Orders' in 'prod' (us-east-1) to table 'Orders' in 'dev' (us-east-1) on Spark: 64 segments, scanned
     * 20,000, written 20,000, retried 3, throttled 0, failed 0, 12.3 s, 1,626 items/s (19.5 MiB, 2,500 RCU, ~20,000 WCU)
     * </pre>
     */
    static String text(SparkCopyStats stats) {
        return String.format(Locale.ROOT, "%s %s to %s on Spark: %,d segments%s, scanned %,d, written %,d, retried %,d, throttled %,d, "
                        + "failed %,d, %.1f s, %,.0f items/s (%.1f MiB, %,.0f RCU, %s%,.0f WCU)",
                stats.failed() > 0 ? "copied with failures" : "copied", stats.source(), stats.target(), stats.segments(),
                stats.segmentsSkipped() > 0 ? String.format(Locale.ROOT, " (%,d finished before)", stats.segmentsSkipped()) : "",
                stats.scanned(), stats.written(), stats.retried(), stats.throttled(), stats.failed(), stats.elapsed().toNanos() / 1e9,
                stats.itemsPerSecond(), stats.bytesWritten() / 1048576.0, stats.readUnits(), stats.writeUnitsMeasured() ? "" : "~",
                stats.writeUnits());
    }

    static String json(SparkCopyStats stats) {
        ObjectNode json = JSON.createObjectNode();
        json.put("source", stats.source());
        json.put("target", stats.target());
        json.put("engine", "spark");
        json.put("tableCreated", stats.tableCreated());
        json.put("segments", stats.segments());
        json.put("segmentsSkipped", stats.segmentsSkipped());
        json.put("scanned", stats.scanned());
        json.put("written", stats.written());
        json.put("deleted", 0);
        json.put("retried", stats.retried());
        json.put("throttled", stats.throttled());
        json.put("failed", stats.failed());
        json.put("bytesWritten", stats.bytesWritten());
        json.put("readUnits", round(stats.readUnits()));
        json.put("writeUnits", round(stats.writeUnits()));
        json.put("writeUnitsMeasured", stats.writeUnitsMeasured());
        json.put("elapsedSeconds", round(stats.elapsed().toNanos() / 1e9));
        json.put("itemsPerSecond", round(stats.itemsPerSecond()));
        json.put("deadLetterDirectory", stats.failed() > 0 ? stats.deadLetterDirectory() : null);
        return json.toString();
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
