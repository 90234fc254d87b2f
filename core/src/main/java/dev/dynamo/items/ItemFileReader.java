package dev.dynamo.items;

import static org.apiguardian.api.API.Status.STABLE;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.dynamo.DynamoException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the files {@link ItemFileWriter} writes (backups) and the dead-letter files: DynamoDB JSON
 * lines, {@code {"Item":{...}}} each, gzip or plain (told apart by the gzip magic number). Lines
 * without an {@code Item} (a dead-letter line of a failed delete) are skipped; other fields on a
 * line are ignored. Numbers are kept exactly as written. Not thread-safe.
 */
@API(status = STABLE, since = "0.1")
public final class ItemFileReader implements Closeable {

    private final Path file;
    private final BufferedReader lines;
    private long lineNumber;

    private ItemFileReader(Path file, BufferedReader lines) {
        this.file = file;
        this.lines = lines;
    }

    /** Opens a gzip or plain file of DynamoDB JSON lines. */
    static ItemFileReader open(Path file) {
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            if (gzip) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return new ItemFileReader(file, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every item of a (small) file, in file order. */
    public static List<Map<String, AttributeValue>> readAll(Path file) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        try (ItemFileReader reader = open(file)) {
            reader.forEach(items::add);
        }
        return items;
    }

    /**
     * The next item, or null at the end of the file.
     *
     * @throws DynamoException (usage) naming the file and line of anything that is not DynamoDB JSON
     */
    Map<String, AttributeValue> next() {
        try {
            for (String line; (line = lines.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try (JsonParser parser = DynamoJson.FACTORY.createParser(line)) {
                    if (parser.nextToken() != JsonToken.START_OBJECT) {
                        throw malformed("expected a JSON object such as {\"Item\":{...}}");
                    }
                    Map<String, AttributeValue> item = null;
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        JsonToken value = parser.nextToken();
                        if (!field.equals("Item")) {
                            parser.skipChildren();
                        } else if (value != JsonToken.START_OBJECT) {
                            throw malformed("\"Item\" must be an object of typed attributes");
                        } else {
                            item = DynamoJson.readItem(parser, "Item");
                        }
                    }
                    if (parser.nextToken() != null) {
                        throw malformed("more than one JSON value on the line");
                    }
                    if (item != null) {
                        return item;
                    }
                } catch (DynamoJson.Malformed e) {
                    throw malformed(e.getMessage());
                }
            }
            return null;
        } catch (JsonProcessingException e) {
            throw malformed("not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " at line " + lineNumber + ": " + e.getMessage(), e);
        }
    }

    void forEach(Consumer<Map<String, AttributeValue>> sink) {
        for (Map<String, AttributeValue> item; (item = next()) != null; ) {
            sink.accept(item);
        }
    }

    private DynamoException malformed(String problem) {
        return DynamoException.usage(file + " line " + lineNumber + ": " + problem);
    }

    @Override
    public void close() {
        try {
            lines.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
