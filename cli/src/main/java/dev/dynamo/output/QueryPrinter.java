package dev.dynamo.output;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.dynamo.Counts;
import dev.dynamo.items.AttributeJson;
import dev.dynamo.items.DynamoJson;
import dev.dynamo.query.QueryHead;
import dev.dynamo.query.QueryStats;
import dev.dynamo.query.ValueTally;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Prints what {@code dynamo query} found, in the chosen format: counts, the head item, distinct
 * values, or (through {@link #itemPrinter()}) the items themselves.
 */
public final class QueryPrinter {
    private final PrintWriter out;
    private final OutputFormat format;
    private final List<String> keyNames;

    public QueryPrinter(PrintWriter out, OutputFormat format, List<String> keyNames) {
        this.out = out;
        this.format = format;
        this.keyNames = List.copyOf(keyNames);
    }

    /** A printer for the items themselves (any format but summary). */
    public ItemPrinter itemPrinter() {
        return switch (format) {
            case TABLE -> new TableItemPrinter(out, keyNames);
            case JSON, JSONL, DDB -> new JsonItemPrinter(format, out, keyNames);
            case SUMMARY, TEXT -> throw new IllegalStateException("the " + format.text() + " format prints no item stream");
        };
    }

    public void count(QueryStats stats) {
        switch (format) {
            // 12 items queried.
            case SUMMARY, TABLE -> out.println(stats.count() == 0 ? "No item was found."
                    : Counts.items(stats.count()) + " queried.");
            // {"Count":12,"ScannedCount":15}
            default -> out.println("{\"Count\":" + stats.count() + ",\"ScannedCount\":" + stats.scannedCount() + "}");
        }
        out.flush();
    }

    /**
     * {@code --head} in the summary format, printed as soon as the first item is read: the seed's count line only
     * when it came free with that item (the pages read were the whole result), then the item.
     * <pre>
     * First item:
     * {
     *   "pk": "c1",
     *   ...
     * }
     * </pre>
     */
    public void head(QueryHead head) {
        if (head.item() == null) {
            out.println("No item was found.");
            out.flush();
            return;
        }
        head.count().ifPresent(count -> out.println(Counts.items(count) + " queried."));
        headItem(head.item());
    }

    /** The first item, for the summary format: a heading and the item as pretty plain JSON. */
    public void headItem(Map<String, AttributeValue> item) {
        out.println("First item:");
        out.println(json(true, gen -> AttributeJson.writePlainItem(gen, item, keyNames)));
        out.flush();
    }

    public void unique(ValueTally tally) {
        List<ValueTally.Entry> entries = tally.sorted();
        switch (format) {
            case SUMMARY, TABLE -> uniqueText(tally, entries);
            case JSONL -> {
                // {"value":"active","count":7}
                for (ValueTally.Entry entry : entries) {
                    out.println(json(false, gen -> entry(gen, entry, false)));
                }
            }
            case JSON, DDB -> out.println(json(true, gen -> {
                gen.writeStartObject();
                gen.writeStringField("attribute", tally.attribute());
                gen.writeArrayFieldStart("values");
                for (ValueTally.Entry entry : entries) {
                    entry(gen, entry, format == OutputFormat.DDB);
                }
                gen.writeEndArray();
                gen.writeNumberField("missing", tally.missing());
                gen.writeEndObject();
            }));
        }
        out.flush();
    }

    private void uniqueText(ValueTally tally, List<ValueTally.Entry> entries) {
        if (format == OutputFormat.SUMMARY) {
            // 3 distinct values of status:
            out.println(Counts.of(entries.size(), "distinct value", "distinct values") + " of " + tally.attribute() + ":");
        }
        List<String> texts = entries.stream().map(entry -> TableItemPrinter.cell(entry.value())).toList();
        int width = Math.max(format == OutputFormat.TABLE ? tally.attribute().length() : 0,
                texts.stream().mapToInt(String::length).max().orElse(0));
        String indent = format == OutputFormat.SUMMARY ? "  " : "";
        String separator = format == OutputFormat.SUMMARY ? "  " : " | ";
        if (format == OutputFormat.TABLE) {
            out.println(pad(tally.attribute(), width) + " | count");
            out.println("-".repeat(width) + "-+-" + "-".repeat(5));
        }
        for (int i = 0; i < entries.size(); i++) {
            //   active   7
            out.println(indent + pad(texts.get(i), width) + separator + String.format(Locale.ROOT, "%,d", entries.get(i).count()));
        }
        if (tally.missing() > 0) {
            // 2 items have no status.
            out.println(Counts.items(tally.missing()) + (tally.missing() == 1 ? " has no " : " have no ") + tally.attribute() + ".");
        }
    }

    private static void entry(JsonGenerator gen, ValueTally.Entry entry, boolean typed) throws IOException {
        gen.writeStartObject();
        gen.writeFieldName("value");
        if (typed) {
            DynamoJson.writeValue(gen, entry.value());
        } else {
            AttributeJson.writePlain(gen, entry.value());
        }
        gen.writeNumberField("count", entry.count());
        gen.writeEndObject();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private interface JsonBody {
        void write(JsonGenerator gen) throws IOException;
    }

    private static String json(boolean pretty, JsonBody body) {
        StringWriter buffer = new StringWriter();
        try (JsonGenerator gen = JsonItemPrinter.JSON.createGenerator(buffer)) {
            if (pretty) {
                gen.setPrettyPrinter(JsonItemPrinter.prettyPrinter());
            }
            body.write(gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toString();
    }
}
