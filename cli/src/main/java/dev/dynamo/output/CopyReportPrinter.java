package dev.dynamo.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.Counts;
import dev.dynamo.copy.BackupMode;
import dev.dynamo.copy.BackupResult;
import dev.dynamo.copy.CopyEstimate;
import dev.dynamo.copy.CopyMode;
import dev.dynamo.copy.CopyPreview;
import dev.dynamo.copy.CopyStats;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.table.IndexKind;
import dev.dynamo.table.TableSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The words of {@code dynamo copy}: the one-line summary (text for stderr, JSON for stdout) and
 * the description of a dry run. Pure functions of the engine's records, so tests compare strings.
 */
public final class CopyReportPrinter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CopyReportPrinter() {
    }

    /**
     * The summary line.
     * <pre>
     * copied table 'Orders' in 'prod' (eu-west-1) to table 'Orders' in 'dev' (us-east-1): scanned 20,000, written 20,000, deleted 0, retried 0, throttled 0, failed 0, 12.3 s, 1,626 items/s (19.5 MiB, 1,250 RCU, ~20,000 WCU)
     * copied the selected items of table 'Orders' in 'prod' (eu-west-1) to table 'Orders' in 'dev' (us-east-1): scanned 50, ...
     * </pre>
     */
    public static String summaryLine(CopyStats stats) {
        if (stats.alreadyEqual()) {
            // copied table 'Orders' in 'prod' (eu-west-1) to table 'Orders' in 'dev' (us-east-1): already equal, 20,000 items unchanged; nothing written, deleted or backed up, 3.1 s (2,500 RCU)
            return String.format(Locale.ROOT, "copied %s%s to %s: already equal, %s unchanged; nothing written, deleted or "
                    + "backed up, %.1f s (%,.0f RCU)", stats.selection() ? "the selected items of " : "", stats.source(), stats.target(),
                    Counts.items(stats.unchanged()), stats.elapsed().toNanos() / 1e9, stats.readUnits());
        }
        return String.format(Locale.ROOT, "%s %s to %s: scanned %s, written %,d, deleted %,d, retried %,d, throttled %,d, failed %,d, "
                        + "%.1f s, %,.0f items/s (%s, %,.0f RCU, %s%,.0f WCU)",
                (stats.failed() > 0 ? "copied with failures" : "copied") + (stats.selection() ? " the selected items of" : ""),
                stats.source(), stats.target(), String.format(Locale.ROOT, "%,d", stats.scanned()) + (stats.compared() ? String.format(Locale.ROOT, ", unchanged %,d",
                        stats.unchanged()) : ""),
                stats.written(), stats.deleted(), stats.retried(), stats.throttled(), stats.failed(),
                stats.elapsed().toNanos() / 1e9, stats.itemsPerSecond(), bytes(stats.bytesWritten()), stats.readUnits(),
                stats.writeUnitsMeasured() ? "" : "~", stats.writeUnits());
    }

    /** The summary as one JSON object on one line, for scripts ({@code --summary json}). */
    public static String summaryJson(CopyStats stats) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("source", stats.source());
        json.put("target", stats.target());
        json.put("mode", stats.mode().name().toLowerCase(Locale.ROOT));
        json.put("selection", stats.selection());
        json.put("tableCreated", stats.tableCreated());
        json.put("compared", stats.compared());
        json.put("unchanged", stats.unchanged());
        json.put("alreadyEqual", stats.alreadyEqual());
        json.put("scanned", stats.scanned());
        json.put("written", stats.written());
        json.put("deleted", stats.deleted());
        json.put("retried", stats.retried());
        json.put("throttled", stats.throttled());
        json.put("failed", stats.failed());
        json.put("bytesWritten", stats.bytesWritten());
        json.put("readUnits", round(stats.readUnits()));
        json.put("writeUnits", round(stats.writeUnits()));
        json.put("writeUnitsMeasured", stats.writeUnitsMeasured());
        json.put("elapsedSeconds", round(stats.elapsed().toNanos() / 1e9));
        json.put("itemsPerSecond", round(stats.itemsPerSecond()));
        json.put("backup", backup(stats.backup()));
        json.put("deadLetterFile", stats.deadLetterFile() == null ? null : stats.deadLetterFile().toString());
        return write(json);
    }

    private static Map<String, Object> backup(BackupResult backup) {
        if (backup == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", backup.kind().name().toLowerCase(Locale.ROOT));
        if (backup.kind() == BackupResult.Kind.AWS) {
            json.put("name", backup.name());
            json.put("arn", backup.arn());
        } else {
            json.put("file", backup.file().toString());
            json.put("items", backup.items());
        }
        return json;
    }

    /**
     * What a dry run found, as lines for stdout.
     * <pre>
     * Dry run: nothing was changed.
     * Source:  table 'Orders' in 'prod' (eu-west-1), ~20,000 items, 19.5 MiB
     * Target:  table 'Orders' in 'dev' (us-east-1), has items
     * Mode:    replace: back up the target, empty it, then write every source item
     * Read:    ~20,000 items (19.5 MiB), parallel scan in 8 segments, ~2,500 RCU
     * Backup:  ~5,000 items (auto: an AWS backup where CreateBackup is supported, otherwise a file)
     * Delete:  ~5,000 items, ~5,000 WCU
     * Write:   ~20,000 items, ~20,000 WCU, plus about 1 WCU per item for each of 2 indexes
     * </pre>
     */
    public static List<String> dryRunLines(CopyEstimate estimate) {
        CopyPreview preview = estimate.preview();
        String about = estimate.exact() ? "" : "~";
        List<String> lines = new ArrayList<>();
        lines.add("Dry run: nothing was changed.");
        TableSchema source = preview.sourceSchema();
        lines.add(String.format(Locale.ROOT, "Source:  %s, ~%s, %s", preview.source(), Counts.items(source.itemCount()), bytes(source.sizeBytes())));
        lines.add("Target:  " + preview.target() + ", " + (preview.createsTable()
                ? "does not exist: would be created from the source's definition (" + definition(source) + ")"
                : preview.targetHasItems() ? (preview.selection() == null ? "has items" : "has selected items") : "empty"
                        + (preview.selection() == null ? "" : " (no selected items)")));
        if (preview.selection() != null) {
            lines.add("Select:  " + selection(preview.selection()));
        }
        lines.add("Mode:    " + mode(estimate));
        lines.add(String.format(Locale.ROOT, "Read:    %s%s%s, %s, %s%,.0f RCU", about, Counts.items(estimate.readItems()),
                estimate.compared() ? "" : " (" + bytes(estimate.readBytes()) + ")", preview.selection() == null ? "parallel scan in " + Counts.of(preview.segments(), "segment", "segments") : "query",
                about, estimate.readUnits()));
        lines.add("Backup:  " + backupLine(preview, estimate, about));
        lines.add(String.format(Locale.ROOT, "Delete:  %s%s, %s%,.0f WCU", about, Counts.items(estimate.deleteItems()), about, estimate.deleteUnits()));
        lines.add(String.format(Locale.ROOT, "Write:   %s%s, %s%,.0f WCU%s", about, Counts.items(estimate.writeItems()), about, estimate.writeUnits(),
                estimate.targetIndexes() == 0 ? "" : ", plus about 1 WCU per item for each of "
                        + Counts.of(estimate.targetIndexes(), "index", "indexes")));
        if (estimate.dryRunUnits() > 0) {
            lines.add(String.format(Locale.ROOT, estimate.compared() ? "(This dry run read and compared both sides: %,.1f RCU.)"
                    : "(This dry run read the selected keys: %,.1f RCU.)", estimate.dryRunUnits()));
        }
        return lines;
    }

    /** The dry run as one JSON object on one line. */
    public static String dryRunJson(CopyEstimate estimate) {
        CopyPreview preview = estimate.preview();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dryRun", true);
        json.put("source", preview.source());
        json.put("target", preview.target());
        json.put("mode", preview.mode().name().toLowerCase(Locale.ROOT));
        json.put("selection", preview.selection() == null ? null : selection(preview.selection()));
        json.put("createsTable", preview.createsTable());
        json.put("targetHasItems", preview.targetHasItems());
        json.put("exact", estimate.exact());
        json.put("compared", estimate.compared());
        json.put("unchanged", estimate.unchanged());
        json.put("segments", preview.segments());
        json.put("read", Map.of("items", estimate.readItems(), "bytes", estimate.readBytes(), "readUnits", round(estimate.readUnits())));
        json.put("backup", Map.of("kind", preview.backup().name().toLowerCase(Locale.ROOT), "items", estimate.backupItems()));
        json.put("delete", Map.of("items", estimate.deleteItems(), "writeUnits", round(estimate.deleteUnits())));
        json.put("write", Map.of("items", estimate.writeItems(), "writeUnits", round(estimate.writeUnits()),
                "targetIndexes", estimate.targetIndexes()));
        json.put("dryRunReadUnits", round(estimate.dryRunUnits()));
        return write(json);
    }

    private static String mode(CopyEstimate estimate) {
        CopyPreview preview = estimate.preview();
        String selected = preview.selection() == null ? "" : "selected ";
        if (preview.mode() == CopyMode.MERGE && !estimate.compared() && !preview.targetHasItems()) {
            return "merge: the target is empty, so write every " + selected + "source item";
        }
        if (preview.mode() == CopyMode.MERGE) {
            return estimate.compared() ? String.format(Locale.ROOT, "merge, skipping unchanged items: write the %s"
                    + " missing from the target or different; %,d %s unchanged; delete nothing",
                    Counts.of(estimate.writeItems(), selected + "item", selected + "items"), estimate.unchanged(), are(estimate.unchanged()))
                    : "merge: write every " + selected + "source item, overwriting items with the same key; delete nothing";
        }
        if (!preview.targetHasItems()) {
            return "replace: the target is empty, so write every " + selected + "source item";
        }
        if (estimate.compared() && estimate.writeItems() == 0 && estimate.deleteItems() == 0) {
            return String.format(Locale.ROOT, "replace: already equal (%s unchanged): nothing would be written, deleted "
                    + "or backed up", Counts.of(estimate.unchanged(), selected + "item", selected + "items"));
        }
        String scope = preview.selection() == null ? "" : "; items outside the selection are untouched";
        return estimate.compared()
                ? String.format(Locale.ROOT, "replace by difference: back up the target, write the %s missing or "
                        + "different, then delete the %,d the source lacks; %,d %s unchanged%s",
                        Counts.of(estimate.writeItems(), selected + "item", selected + "items"),
                        estimate.deleteItems(), estimate.unchanged(), are(estimate.unchanged()), scope)
                : "replace by difference: back up the target, write what is missing or different, then delete what the "
                        + "source lacks (counts below are the most it could be: --estimate reads neither side)" + scope;
    }

    private static String are(long count) {
        return count == 1 ? "is" : "are";
    }

    private static String backupLine(CopyPreview preview, CopyEstimate estimate, String about) {
        BackupMode backup = preview.backup();
        if (estimate.compared() && estimate.writeItems() == 0 && estimate.deleteItems() == 0) {
            return "none needed: nothing would change";
        }
        if (backup == BackupMode.NONE) {
            return preview.deletes() ? "none (--backup none): deleted items cannot be restored" : "none needed";
        }
        String items = about + Counts.items(estimate.backupItems());
        return switch (backup) {
            case AWS -> "an AWS backup of the whole target table (CreateBackup)";
            case FILE -> items + " to a gzip DynamoDB JSON file";
            default -> items + " (auto: an AWS backup where CreateBackup is supported, otherwise a file)";
        };
    }

    private static String definition(TableSchema source) {
        long gsis = source.indexes().stream().filter(index -> index.kind() == IndexKind.GSI).count();
        long lsis = source.indexes().size() - gsis;
        return source.keys() + ", " + Counts.of(gsis, "GSI", "GSIs") + ", " + Counts.of(lsis, "LSI", "LSIs") + ", "
                + source.billingMode();
    }

    /** {@code pk = customer#42, sk begins_with 2024- on index byStatus}. */
    static String selection(QuerySpec selection) {
        StringBuilder text = new StringBuilder("partition key = ").append(selection.partitionValue());
        if (selection.sortKey() != null) {
            text.append(", ").append(selection.sortKey().operator().option()).append(' ').append(selection.sortKey().value());
            if (selection.sortKey().upper() != null) {
                text.append(' ').append(selection.sortKey().upper());
            }
        }
        if (!selection.where().isEmpty()) {
            text.append(", ").append(Counts.of(selection.where().size(), "filter", "filters"));
        }
        text.append(selection.index() == null ? ", on the table" : ", on index " + selection.index());
        return text.toString();
    }

    /** {@code 512 B}, {@code 19.5 MiB}. */
    public static String bytes(long bytes) {
        return dev.dynamo.Counts.bytes(bytes);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
