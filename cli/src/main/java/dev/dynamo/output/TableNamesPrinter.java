package dev.dynamo.output;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What {@code dynamo tables} prints: {@code text} one name per line; {@code json} the AWS CLI's
 * {@code list-tables} shape, {@code {"TableNames": ["Orders", "Users"]}}; {@code jsonl} one JSON string per
 * line ({@code "Orders"}), so a name with any character reads back exactly.
 */
public final class TableNamesPrinter {
    private TableNamesPrinter() {
    }

    public static void print(PrintWriter out, OutputFormat format, List<String> names) {
        try {
            switch (format) {
                case TEXT -> names.forEach(out::println);
                case JSON -> {
                    JsonGenerator gen = JsonItemPrinter.JSON.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    gen.setPrettyPrinter(JsonItemPrinter.prettyPrinter());
                    gen.writeStartObject();
                    gen.writeArrayFieldStart("TableNames");
                    for (String name : names) {
                        gen.writeString(name);
                    }
                    gen.writeEndArray();
                    gen.writeEndObject();
                    gen.flush();
                    out.println();
                }
                case JSONL -> {
                    for (String name : names) {
                        JsonGenerator gen = JsonItemPrinter.JSON.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                        gen.writeString(name);
                        gen.flush();
                        out.println();
                    }
                }
                default -> throw new IllegalArgumentException("tables does not print " + format.text());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }
}
