package dev.dynamo.items;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the files {@link ItemFileWriter} writes (backups) and the dead-letter files: DynamoDB JSON
 * lines, {@code {"Item":{...}}} each, gzip or plain (told apart by the gzip magic number). Lines
 * without an {@code Item} (a dead-letter line of a failed delete) are skipped; other fields on a
 * line are ignored. Numbers are kept exactly as written. Not thread-safe.
 */
public final class ItemFileReader implements Closeable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final BufferedReader lines;
    private long lineNumber;

    private ItemFileReader(Path file, BufferedReader lines) {
        this.file = file;
        this.lines = lines;
    }

    /** Opens a gzip or plain file of DynamoDB JSON lines. */
    public static ItemFileReader open(Path file) {
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
    public Map<String, AttributeValue> next() {
        try {
            for (String line; (line = lines.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = MAPPER.readTree(line);
                if (node == null || !node.isObject()) {
                    throw malformed("expected a JSON object such as {\"Item\":{...}}");
                }
                JsonNode item = node.get("Item");
                if (item == null) {
                    continue;
                }
                if (!item.isObject()) {
                    throw malformed("\"Item\" must be an object of typed attributes");
                }
                return attributes(item, "Item");
            }
            return null;
        } catch (JsonProcessingException e) {
            throw malformed("not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " at line " + lineNumber + ": " + e.getMessage(), e);
        }
    }

    public void forEach(Consumer<Map<String, AttributeValue>> sink) {
        for (Map<String, AttributeValue> item; (item = next()) != null; ) {
            sink.accept(item);
        }
    }

    private Map<String, AttributeValue> attributes(JsonNode object, String path) {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            attributes.put(field.getKey(), value(field.getValue(), path + "." + field.getKey()));
        }
        return attributes;
    }

    private AttributeValue value(JsonNode typed, String path) {
        if (typed == null || !typed.isObject() || typed.size() != 1) {
            throw malformed(path + ": expected one typed value such as {\"S\":\"text\"} or {\"N\":\"12.5\"}");
        }
        Map.Entry<String, JsonNode> only = typed.properties().iterator().next();
        JsonNode value = only.getValue();
        return switch (only.getKey()) {
            case "S" -> AttributeValue.fromS(text(value, path));
            case "N" -> AttributeValue.fromN(number(value, path));
            case "B" -> AttributeValue.fromB(binary(value, path));
            case "BOOL" -> {
                if (!value.isBoolean()) {
                    throw malformed(path + ": BOOL must be true or false");
                }
                yield AttributeValue.fromBool(value.booleanValue());
            }
            case "NULL" -> {
                if (!value.isBoolean() || !value.booleanValue()) {
                    throw malformed(path + ": NULL must be true");
                }
                yield AttributeValue.fromNul(true);
            }
            case "SS" -> AttributeValue.fromSs(elements(value, path).stream().map(e -> text(e, path)).toList());
            case "NS" -> AttributeValue.fromNs(elements(value, path).stream().map(e -> number(e, path)).toList());
            case "BS" -> AttributeValue.fromBs(elements(value, path).stream().map(e -> binary(e, path)).toList());
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                List<JsonNode> elements = elements(value, path);
                for (int i = 0; i < elements.size(); i++) {
                    list.add(value(elements.get(i), path + "[" + i + "]"));
                }
                yield AttributeValue.fromL(list);
            }
            case "M" -> {
                if (!value.isObject()) {
                    throw malformed(path + ": M must be an object");
                }
                yield AttributeValue.fromM(attributes(value, path));
            }
            default -> throw malformed(path + ": unknown type '" + only.getKey() + "' (expected S, N, B, BOOL, NULL, SS, NS, BS, L or M)");
        };
    }

    private List<JsonNode> elements(JsonNode array, String path) {
        if (!array.isArray()) {
            throw malformed(path + ": expected an array");
        }
        List<JsonNode> elements = new ArrayList<>(array.size());
        array.forEach(elements::add);
        return elements;
    }

    private String text(JsonNode value, String path) {
        if (!value.isTextual()) {
            throw malformed(path + ": expected a string");
        }
        return value.textValue();
    }

    private String number(JsonNode value, String path) {
        // DynamoDB JSON writes numbers as strings: that keeps all 38 digits.
        String text = text(value, path);
        try {
            new java.math.BigDecimal(text);
        } catch (NumberFormatException e) {
            throw malformed(path + ": '" + text + "' is not a number");
        }
        return text;
    }

    private SdkBytes binary(JsonNode value, String path) {
        try {
            return SdkBytes.fromByteArrayUnsafe(Base64.getDecoder().decode(text(value, path)));
        } catch (IllegalArgumentException e) {
            throw malformed(path + ": binary must be base64 (" + e.getMessage() + ")");
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
