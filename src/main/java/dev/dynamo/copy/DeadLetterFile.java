package dev.dynamo.copy;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.dynamo.output.AttributeJson;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where items that could not be written end up, so none is ever dropped silently: plain (not gzip)
 * DynamoDB JSON lines, appended as failures happen and flushed line by line, so the file is whole
 * even if the process dies. A failed put keeps the whole item, in the backup format (so the file
 * can be imported again once the cause is fixed); a failed delete keeps the key:
 * <pre>
 * {"Item":{"pk":{"S":"a"},"n":{"N":"1"}},"Operation":"PUT","Error":"ValidationException: Type mismatch for Index Key"}
 * {"Key":{"pk":{"S":"b"}},"Operation":"DELETE","Error":"ProvisionedThroughputExceededException: still throttled after 10 retries"}
 * </pre>
 * The file is created on the first failure only. Thread-safe: lines from concurrent writers never interleave.
 */
public final class DeadLetterFile implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    /** The kind of request that failed. */
    public enum Operation { PUT, DELETE }

    private final Path file;
    private final List<String> keyNames;
    private OutputStream out;
    private JsonGenerator json;
    private long count;

    public DeadLetterFile(Path file, List<String> keyNames) {
        this.file = file;
        this.keyNames = List.copyOf(keyNames);
    }

    public Path file() {
        return file;
    }

    /** Items appended so far. */
    public synchronized long count() {
        return count;
    }

    public synchronized void append(Operation operation, Map<String, AttributeValue> itemOrKey, String error) {
        try {
            if (out == null) {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
                json = JSON.createGenerator(out, JsonEncoding.UTF8)
                        .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                        .setPrettyPrinter(new MinimalPrettyPrinter(""));
            }
            json.writeStartObject();
            json.writeFieldName(operation == Operation.PUT ? "Item" : "Key");
            AttributeJson.writeTypedItem(json, itemOrKey, keyNames);
            json.writeStringField("Operation", operation.name());
            json.writeStringField("Error", error);
            json.writeEndObject();
            json.flush();
            out.write('\n');
            out.flush();
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the dead-letter file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            json.close();
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the dead-letter file " + file + ": " + e.getMessage(), e);
        }
    }
}
