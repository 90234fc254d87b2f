package dev.dynamo.verify;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.Counts;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.dynamo.items.AttributeJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The words of {@code dynamo verify}, {@code copy --verify} and {@code dynamo-spark verify}: the report as text lines,
 * or as one JSON object on one line. Keys are printed as plain JSON objects, key attributes only, as
 * {@code dynamo query -o jsonl} prints items. Pure functions of {@link VerifyResult}, shared by the front ends so
 * that they say the same thing byte for byte.
 */
@API(status = INTERNAL, since = "0.1")
public final class VerifyReport {
    /** At most this many differing attribute paths are named per item in the text report. */
    static final int MAX_PATHS = 8;
    private static final JsonFactory JSON_FACTORY = JsonFactory.builder().build();

    private VerifyReport() {
    }

    /**
     * The report as lines.
     * <pre>
     * Source:    table 'Orders' in 'prod' (eu-west-1): 30 items read
     * Target:    table 'Orders' in 'dev' (us-east-1): 29 items read
     * Identical: 26 items
     * Missing:   2 items in the source only
     *   {"pk":"c1","sk":"2024-03"}
     *   {"pk":"c2","sk":"2024-04"}
     * Extra:     1 item in the target only
     *   {"pk":"c9","sk":"2024-01"}
     * Different: 2 items with the same key
     *   {"pk":"c0","sk":"2024-02"}  differs in map.inner.deep, n38
     *   ... and 1 more (list more with --show)
     * Result:    DIFFERENT: 2 missing, 1 extra, 2 different (0.4 s, 12.5 RCU)
     * </pre>
     */
    public static List<String> lines(VerifyResult result) {
        String selected = result.selection() ? "selected " : "";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Source:    %s: %s", result.source(),
                Counts.of(result.sourceItems(), selected + "item read", selected + "items read")));
        lines.add(String.format(Locale.ROOT, "Target:    %s: %s", result.target(),
                Counts.of(result.targetItems(), selected + "item read", selected + "items read")));
        lines.add(String.format(Locale.ROOT, "Identical: %s", items(result.matching())));
        lines.add(String.format(Locale.ROOT, "Missing:   %s%s", items(result.missing()), result.missing() == 0 ? "" : " in the source only"));
        keyLines(lines, result.missingKeys().stream().map(key -> "  " + keyJson(key, result.keyNames())).toList(), result.missing());
        lines.add(String.format(Locale.ROOT, "Extra:     %s%s", items(result.extra()), result.extra() == 0 ? "" : " in the target only"));
        keyLines(lines, result.extraKeys().stream().map(key -> "  " + keyJson(key, result.keyNames())).toList(), result.extra());
        lines.add(String.format(Locale.ROOT, "Different: %s%s", items(result.different()),
                result.different() == 0 ? "" : " with the same key"));
        keyLines(lines, result.differentItems().stream().map(difference -> "  " + keyJson(difference.key(), result.keyNames())
                + "  " + paths(difference.attributes())).toList(), result.different());
        lines.add(String.format(Locale.ROOT, "Result:    %s (%s)", result.identical() ? "IDENTICAL" : "DIFFERENT: " + counts(result),
                cost(result)));
        return lines;
    }

    /** {@code 2 missing, 1 extra, 3 different}: the differences in a few words. */
    public static String counts(VerifyResult result) {
        return String.format(Locale.ROOT, "%,d missing, %,d extra, %,d different", result.missing(), result.extra(), result.different());
    }

    /** The report as one JSON object on one line, for scripts ({@code --summary json}). */
    public static String json(VerifyResult result) {
        return json(result, null);
    }

    /**
     * The report as one JSON object on one line, with {@code "engine":"spark"} (say) after {@code identical} when
     * {@code engine} is not null.
     */
    public static String json(VerifyResult result, String engine) {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON_FACTORY.createGenerator(text)) {
            out.writeStartObject();
            out.writeBooleanField("identical", result.identical());
            if (engine != null) {
                out.writeStringField("engine", engine);
            }
            out.writeStringField("source", result.source());
            out.writeStringField("target", result.target());
            out.writeBooleanField("selection", result.selection());
            out.writeNumberField("sourceItems", result.sourceItems());
            out.writeNumberField("targetItems", result.targetItems());
            out.writeNumberField("identicalItems", result.matching());
            out.writeNumberField("missing", result.missing());
            out.writeNumberField("extra", result.extra());
            out.writeNumberField("different", result.different());
            out.writeArrayFieldStart("missingKeys");
            for (Map<String, AttributeValue> key : result.missingKeys()) {
                AttributeJson.writePlainItem(out, key, result.keyNames());
            }
            out.writeEndArray();
            out.writeArrayFieldStart("extraKeys");
            for (Map<String, AttributeValue> key : result.extraKeys()) {
                AttributeJson.writePlainItem(out, key, result.keyNames());
            }
            out.writeEndArray();
            out.writeArrayFieldStart("differentItems");
            for (VerifyResult.Difference difference : result.differentItems()) {
                out.writeStartObject();
                out.writeFieldName("key");
                AttributeJson.writePlainItem(out, difference.key(), result.keyNames());
                out.writeArrayFieldStart("attributes");
                for (String path : difference.attributes()) {
                    out.writeString(path);
                }
                out.writeEndArray();
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeNumberField("readUnits", round(result.readUnits()));
            out.writeNumberField("retried", result.retried());
            out.writeNumberField("throttled", result.throttled());
            out.writeNumberField("buckets", result.buckets()); // on Spark: the shuffle's partitions
            out.writeNumberField("elapsedSeconds", round(result.elapsed().toNanos() / 1e9));
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
        return text.toString();
    }

    /** The key as a plain JSON object, key attributes in schema order: {@code {"pk":"c1","sk":3}}. */
    public static String keyJson(Map<String, AttributeValue> key, List<String> keyNames) {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON_FACTORY.createGenerator(text)) {
            AttributeJson.writePlainItem(out, key, keyNames);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
        return text.toString();
    }

    private static void keyLines(List<String> lines, List<String> shown, long total) {
        lines.addAll(shown);
        if (total > shown.size()) {
            lines.add(String.format(Locale.ROOT, "  ... and %,d more%s", total - shown.size(), shown.isEmpty() ? " (list them with --show N)"
                    : " (list more with --show N)"));
        }
    }

    /** {@code differs in map.inner.deep, n38}. */
    private static String paths(List<String> attributes) {
        if (attributes.isEmpty()) {
            return "(changed since it was read: read again, the two items are equal or one is gone)";
        }
        List<String> named = attributes.size() <= MAX_PATHS ? attributes : attributes.subList(0, MAX_PATHS);
        return "differs in " + String.join(", ", named)
                + (attributes.size() > named.size() ? String.format(Locale.ROOT, " and %,d more", attributes.size() - named.size()) : "");
    }

    private static String items(long count) {
        return Counts.items(count);
    }

    private static String cost(VerifyResult result) {
        String cost = String.format(Locale.ROOT, "%.1f s, %,.1f RCU", result.elapsed().toNanos() / 1e9, result.readUnits());
        if (result.retried() > 0) {
            cost += String.format(Locale.ROOT, ", %,d retried", result.retried());
        }
        return cost;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
