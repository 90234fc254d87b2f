package dev.dynamo.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.dynamo.items.AttributeJson;
import dev.dynamo.items.DynamoJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The JSON formats: {@code json} (a pretty array of plain items), {@code jsonl} (one plain item per
 * line) and {@code ddb} (typed JSON in the AWS CLI's query shape).
 */
public final class JsonItemPrinter implements ItemPrinter {
    static final JsonFactory JSON = JsonFactory.builder().build();

    private final OutputFormat format;
    private final Writer out;
    private final JsonGenerator json;
    private final List<String> keyNames;
    private boolean started;

    /**
     * @param format   JSON, JSONL or DDB
     * @param keyNames attribute names printed first in each item (the keys)
     */
    public JsonItemPrinter(OutputFormat format, Writer out, List<String> keyNames) {
        if (format != OutputFormat.JSON && format != OutputFormat.JSONL && format != OutputFormat.DDB) {
            throw new IllegalArgumentException("not a JSON format: " + format);
        }
        this.format = format;
        this.out = out;
        this.keyNames = List.copyOf(keyNames);
        try {
            this.json = JSON.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
            // jsonl: compact, and no separator between root values (we write the newline ourselves).
            json.setPrettyPrinter(format == OutputFormat.JSONL ? new MinimalPrettyPrinter("") : prettyPrinter());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Two-space indentation, "key": value, as `aws` and `jq` print. */
    static DefaultPrettyPrinter prettyPrinter() {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER));
        printer.indentObjectsWith(new DefaultIndenter("  ", "\n"));
        printer.indentArraysWith(new DefaultIndenter("  ", "\n"));
        return printer;
    }

    private void start() throws IOException {
        if (started) {
            return;
        }
        started = true;
        if (format == OutputFormat.JSON) {
            json.writeStartArray();
        } else if (format == OutputFormat.DDB) {
            json.writeStartObject();
            json.writeArrayFieldStart("Items");
        }
    }

    @Override
    public void item(Map<String, AttributeValue> item) {
        try {
            start();
            if (format == OutputFormat.DDB) {
                DynamoJson.writeItem(json, item, keyNames);
            } else {
                AttributeJson.writePlainItem(json, item, keyNames);
            }
            if (format == OutputFormat.JSONL) {
                json.flush();
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void flush() {
        try {
            json.flush();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void finish(long count, long scannedCount) {
        try {
            start();
            if (format == OutputFormat.JSON) {
                json.writeEndArray();
            } else if (format == OutputFormat.DDB) {
                json.writeEndArray();
                json.writeNumberField("Count", count);
                json.writeNumberField("ScannedCount", scannedCount);
                json.writeEndObject();
            }
            json.flush();
            if (format != OutputFormat.JSONL) {
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
