package dev.dynamo.output;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.dynamo.Counts;
import dev.dynamo.items.AttributeJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A text table, key columns first and then the other attributes by name:
 * <pre>
 * pk   | sk | amount | status
 * -----+----+--------+-------
 * u#1  | 1  | 12.50  | paid
 * </pre>
 * Columns and widths come from the first {@value #SAMPLE_ROWS} items, which are held back; after
 * them rows stream. Attributes first seen later are not shown (their count is noted at the end),
 * cells wider than {@value #MAX_CELL_CHARS} characters are cut with "…". Strings print bare,
 * other types as compact plain JSON.
 */
public final class TableItemPrinter implements ItemPrinter {
    static final int SAMPLE_ROWS = 200;
    static final int MAX_CELL_CHARS = 40;

    private final PrintWriter out;
    private final List<String> keyNames;
    private final List<Map<String, AttributeValue>> sample = new ArrayList<>();
    private List<String> columns;
    private int[] widths;
    private final Set<String> unshown = new TreeSet<>();

    public TableItemPrinter(PrintWriter out, List<String> keyNames) {
        this.out = out;
        this.keyNames = List.copyOf(keyNames);
    }

    @Override
    public void item(Map<String, AttributeValue> item) {
        if (columns == null) {
            sample.add(item);
            if (sample.size() == SAMPLE_ROWS) {
                layOut();
            }
            return;
        }
        row(item);
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void finish(long count, long scannedCount) {
        if (columns == null) {
            layOut();
        }
        // (3 items)
        out.println("(" + Counts.items(count) + ")");
        if (!unshown.isEmpty()) {
            // (attributes not shown, first seen after the first 200 items: note, zip)
            out.println("(attributes not shown, first seen after the first " + SAMPLE_ROWS + " items: "
                    + String.join(", ", unshown) + ")");
        }
        out.flush();
    }

    private void layOut() {
        Set<String> names = new LinkedHashSet<>();
        for (String key : keyNames) {
            if (sample.stream().anyMatch(item -> item.containsKey(key))) {
                names.add(key);
            }
        }
        TreeSet<String> others = new TreeSet<>();
        sample.forEach(item -> others.addAll(item.keySet()));
        others.removeAll(names);
        names.addAll(others);
        columns = new ArrayList<>(names);
        widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
            for (Map<String, AttributeValue> item : sample) {
                widths[c] = Math.max(widths[c], cell(item.get(columns.get(c))).length());
            }
        }
        if (columns.isEmpty()) {
            return;
        }
        StringBuilder header = new StringBuilder();
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            header.append(c == 0 ? "" : " | ").append(pad(columns.get(c), widths[c], c == columns.size() - 1));
            rule.append(c == 0 ? "" : "-+-").append("-".repeat(widths[c]));
        }
        out.println(header.toString().stripTrailing());
        out.println(rule);
        sample.forEach(this::row);
        sample.clear();
    }

    private void row(Map<String, AttributeValue> item) {
        for (String name : item.keySet()) {
            if (!columns.contains(name)) {
                unshown.add(name);
            }
        }
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            line.append(c == 0 ? "" : " | ").append(pad(cell(item.get(columns.get(c))), widths[c], c == columns.size() - 1));
        }
        // An item without the last column's attribute would leave "| " at the end of its line.
        out.println(line.toString().stripTrailing());
    }

    private static String pad(String text, int width, boolean last) {
        return last ? text : text + " ".repeat(Math.max(0, width - text.length()));
    }

    static String cell(AttributeValue value) {
        if (value == null) {
            return "";
        }
        String text;
        if (value.type() == AttributeValue.Type.S) {
            text = value.s();
        } else {
            StringWriter buffer = new StringWriter();
            try (JsonGenerator json = JsonItemPrinter.JSON.createGenerator(buffer)) {
                AttributeJson.writePlain(json, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            text = buffer.toString();
        }
        text = text.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        return text.length() > MAX_CELL_CHARS ? text.substring(0, MAX_CELL_CHARS - 1) + "…" : text;
    }
}
