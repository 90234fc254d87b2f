package dev.dynamo.output;

import dev.dynamo.Counts;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.transfer.ExportStats;
import dev.dynamo.transfer.ImportStats;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The summaries of {@code dynamo export} and {@code dynamo import}: one line of text, or one JSON object for scripts. */
public final class TransferReportPrinter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TransferReportPrinter() {
    }

    /** {@code Exported 1,000 items of table 'Orders' in 'prod' (eu-west-1) to /x/AWSDynamoDB/ID in 8 data files (1.2 MiB) in 3.1 s.} */
    public static String exportLine(ExportStats stats) {
        return String.format(Locale.ROOT, "Exported %s of %s to %s in %s (%s) in %.1f s.", Counts.items(stats.items()),
                stats.table(), stats.location(), Counts.of(stats.files(), "data file", "data files"),
                CopyReportPrinter.bytes(stats.bytes()), stats.millis() / 1000.0);
    }

    public static String exportJson(ExportStats stats) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("table", stats.table());
        json.put("export", stats.location());
        json.put("exportId", stats.exportId());
        json.put("format", stats.format().awsName());
        json.put("items", stats.items());
        json.put("files", stats.files());
        json.put("bytes", stats.bytes());
        json.put("readUnits", Math.round(stats.readUnits() * 10) / 10.0);
        json.put("seconds", stats.millis() / 1000.0);
        json.put("resumed", stats.resumed());
        return write(json);
    }

    /** {@code Imported 1,000 items into table 'Orders' in 'dev' (us-east-1) (5 deleted) from 8 data files in 2.0 s.} */
    public static String importLine(ImportStats stats) {
        StringBuilder line = new StringBuilder("Imported " + Counts.items(stats.written()) + " into " + stats.table());
        if (stats.deleted() > 0) {
            line.append(String.format(Locale.ROOT, ", deleted %,d", stats.deleted()));
        }
        if (stats.failed() > 0) {
            line.append(String.format(Locale.ROOT, ", %,d failed", stats.failed()));
        }
        return line.append(String.format(Locale.ROOT, " from %s in %.1f s.", Counts.of(stats.files(), "data file", "data files"),
                stats.millis() / 1000.0)).toString();
    }

    public static String importJson(ImportStats stats) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("table", stats.table());
        json.put("sources", stats.sources());
        json.put("files", stats.files());
        json.put("written", stats.written());
        json.put("deleted", stats.deleted());
        json.put("failed", stats.failed());
        json.put("deadLetterFile", stats.failed() > 0 ? String.valueOf(stats.deadLetterFile()) : null);
        json.put("backupFile", stats.backupFile() == null ? null : stats.backupFile().toString());
        json.put("tableCreated", stats.createdTable());
        json.put("writeUnits", Math.round(stats.writeUnits() * 10) / 10.0);
        json.put("seconds", stats.millis() / 1000.0);
        json.put("resumed", stats.resumed());
        return write(json);
    }

    private static String write(Map<String, Object> json) {
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of plain values always serialises", e);
        }
    }
}
