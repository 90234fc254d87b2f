package dev.dynamo.items;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apiguardian.api.API;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB JSON ({@code {"S":"text"}}, {@code {"N":"12.5"}}, {@code {"M":{...}}}...), read and written
 * in one place for everything that holds items: raw Scan pages, answers checked before the SDK reads
 * them, item files (backups), dead-letter files and checkpoints. Reading is strict: one typed value
 * of a known type per attribute, its JSON of that type ({@code S} a string, {@code N} a string that is
 * a number, {@code B} base64, {@code BOOL} true or false, {@code NULL} true, sets arrays of those,
 * {@code L} and {@code M} of typed values), no field twice in an object (with {@link #FACTORY}).
 * Numbers stay the text DynamoDB gave, so all 38 digits survive.
 *
 * <p>A problem is a {@link Malformed} naming the attribute's path ({@code Item.address.lines[2]}).
 * Stateless and thread-safe.
 */
@API(status = INTERNAL, since = "0.1")
public final class DynamoJson {
    /**
     * The parser factory for DynamoDB JSON: a field twice in one object is an error (which value would be
     * the item's?), and attribute names may be as long as DynamoDB allows (64 KB; Jackson's default limit
     * is 50,000 chars).
     */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNameLength(1 << 17).build())
            .build();
    private static final String TYPED_VALUE = "expected one typed value such as {\"S\":\"text\"} or {\"N\":\"12.5\"}";

    private DynamoJson() {
    }

    /** What is wrong with a piece of DynamoDB JSON, and where: {@code path: problem}. */
    public static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String path, String problem) {
            super(path.isEmpty() ? problem : path + ": " + problem);
        }
    }

    /**
     * Reads the attributes of the object whose START_OBJECT is the parser's current token, through its END_OBJECT.
     *
     * @param path where the object is, for messages ({@code Item}; empty for a top-level item)
     */
    public static Map<String, AttributeValue> readItem(JsonParser parser, String path) throws IOException {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            if (token != JsonToken.FIELD_NAME) {
                throw new Malformed(path, "expected an object of typed attributes");
            }
            String name = parser.currentName();
            String at = path.isEmpty() ? name : path + "." + name;
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new Malformed(at, TYPED_VALUE);
            }
            attributes.put(name, readValue(parser, at));
        }
        return attributes;
    }

    /** Reads the item {@code node} holds (an object of typed attributes). */
    public static Map<String, AttributeValue> readItem(JsonNode node, String path) throws IOException {
        if (node == null || !node.isObject()) {
            throw new Malformed(path, "expected an object of typed attributes");
        }
        try (JsonParser parser = node.traverse()) {
            parser.nextToken();
            return readItem(parser, path);
        }
    }

    /** Reads the typed value whose START_OBJECT is the parser's current token, through its END_OBJECT. */
    static AttributeValue readValue(JsonParser parser, String path) throws IOException {
        if (parser.nextToken() != JsonToken.FIELD_NAME) {
            throw new Malformed(path, TYPED_VALUE);
        }
        String type = parser.currentName();
        JsonToken token = parser.nextToken();
        AttributeValue value = switch (type) {
            case "S" -> AttributeValue.fromS(string(parser, token, path));
            case "N" -> AttributeValue.fromN(number(parser, token, path));
            case "B" -> AttributeValue.fromB(binary(parser, token, path));
            case "BOOL" -> {
                expect(token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE, path, "BOOL must be true or false");
                yield AttributeValue.fromBool(token == JsonToken.VALUE_TRUE);
            }
            case "NULL" -> {
                expect(token == JsonToken.VALUE_TRUE, path, "NULL must be true");
                yield AttributeValue.fromNul(true);
            }
            case "SS", "NS", "BS" -> set(parser, token, type, path);
            case "L" -> {
                expect(token == JsonToken.START_ARRAY, path, "expected an array");
                List<AttributeValue> list = new ArrayList<>();
                for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
                    String at = path + "[" + list.size() + "]";
                    expect(element == JsonToken.START_OBJECT, at, TYPED_VALUE);
                    list.add(readValue(parser, at));
                }
                yield AttributeValue.fromL(list);
            }
            case "M" -> {
                expect(token == JsonToken.START_OBJECT, path, "M must be an object");
                yield AttributeValue.fromM(readItem(parser, path));
            }
            default -> throw new Malformed(path, "unknown type '" + type + "' (expected S, N, B, BOOL, NULL, SS, NS, BS, L or M)");
        };
        expect(parser.nextToken() == JsonToken.END_OBJECT, path, TYPED_VALUE);
        return value;
    }

    private static AttributeValue set(JsonParser parser, JsonToken token, String type, String path) throws IOException {
        expect(token == JsonToken.START_ARRAY, path, "expected an array");
        List<String> texts = new ArrayList<>();
        List<SdkBytes> binaries = new ArrayList<>();
        for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
            switch (type) {
                case "SS" -> texts.add(string(parser, element, path));
                case "NS" -> texts.add(number(parser, element, path));
                default -> binaries.add(binary(parser, element, path));
            }
        }
        return switch (type) {
            case "SS" -> AttributeValue.fromSs(texts);
            case "NS" -> AttributeValue.fromNs(texts);
            default -> AttributeValue.fromBs(binaries);
        };
    }

    private static String string(JsonParser parser, JsonToken token, String path) throws IOException {
        expect(token == JsonToken.VALUE_STRING, path, "expected a string");
        return parser.getText();
    }

    private static String number(JsonParser parser, JsonToken token, String path) throws IOException {
        // DynamoDB JSON writes numbers as strings: that keeps all 38 digits.
        String text = string(parser, token, path);
        try {
            new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new Malformed(path, "'" + (text.length() <= 40 ? text : text.substring(0, 39) + "…") + "' is not a number");
        }
        return text;
    }

    private static SdkBytes binary(JsonParser parser, JsonToken token, String path) throws IOException {
        String text = string(parser, token, path);
        try {
            return SdkBytes.fromByteArrayUnsafe(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            throw new Malformed(path, "binary must be base64 (" + e.getMessage() + ")");
        }
    }

    private static void expect(boolean condition, String path, String problem) throws Malformed {
        if (!condition) {
            throw new Malformed(path, problem);
        }
    }

    /** Writes the item as a DynamoDB-typed JSON object, {@code firstKeys} first and the rest in name order. */
    public static void writeItem(JsonGenerator out, Map<String, AttributeValue> item, List<String> firstKeys) throws IOException {
        out.writeStartObject();
        for (String name : AttributeJson.orderedNames(item, firstKeys)) {
            out.writeFieldName(name);
            writeValue(out, item.get(name));
        }
        out.writeEndObject();
    }

    /** Writes one typed value; a map's attributes in name order. */
    public static void writeValue(JsonGenerator out, AttributeValue value) throws IOException {
        out.writeStartObject();
        switch (value.type()) {
            case S -> out.writeStringField("S", value.s());
            case N -> out.writeStringField("N", value.n());
            case B -> out.writeStringField("B", base64(value.b()));
            case BOOL -> out.writeBooleanField("BOOL", value.bool());
            case NUL -> out.writeBooleanField("NULL", true);
            case SS, NS -> {
                out.writeArrayFieldStart(value.type() == AttributeValue.Type.SS ? "SS" : "NS");
                for (String text : value.type() == AttributeValue.Type.SS ? value.ss() : value.ns()) {
                    out.writeString(text);
                }
                out.writeEndArray();
            }
            case BS -> {
                out.writeArrayFieldStart("BS");
                for (SdkBytes bytes : value.bs()) {
                    out.writeString(base64(bytes));
                }
                out.writeEndArray();
            }
            case L -> {
                out.writeArrayFieldStart("L");
                for (AttributeValue element : value.l()) {
                    writeValue(out, element);
                }
                out.writeEndArray();
            }
            case M -> {
                out.writeObjectFieldStart("M");
                for (Map.Entry<String, AttributeValue> entry : new TreeMap<>(value.m()).entrySet()) {
                    out.writeFieldName(entry.getKey());
                    writeValue(out, entry.getValue());
                }
                out.writeEndObject();
            }
            default -> throw new IllegalArgumentException("unknown attribute type: " + value);
        }
        out.writeEndObject();
    }

    /** The item as DynamoDB JSON text, its attributes in name order. */
    public static String toJson(Map<String, AttributeValue> item) {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = FACTORY.createGenerator(text)) {
            writeItem(out, item, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("a string always takes JSON", e);
        }
        return text.toString();
    }

    static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }
}
