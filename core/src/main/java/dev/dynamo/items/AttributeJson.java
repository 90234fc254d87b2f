package dev.dynamo.items;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes attribute values as JSON, exactly: numbers are copied digit for digit (never through
 * {@code double}), binary is base64.
 *
 * <p>Two shapes: <em>plain</em> JSON ({@code {"pk":"a","n":1.50,"tags":["x","y"]}}), where sets
 * become arrays and the type is lost, and DynamoDB's <em>typed</em> JSON as the AWS CLI prints it
 * ({@code {"pk":{"S":"a"},"n":{"N":"1.50"}}}), which keeps every type.
 *
 * <p>Nested map entries are written in name order, like an item's non-key attributes, so the same
 * item always prints the same way (DynamoDB gives map entries in no particular order). Set and list
 * elements keep DynamoDB's order.
 */
@API(status = INTERNAL, since = "0.1")
public final class AttributeJson {
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][-+]?\\d+)?");

    private AttributeJson() {
    }

    /** Writes the item as a plain JSON object, {@code firstKeys} first and the rest in name order. */
    public static void writePlainItem(JsonGenerator out, Map<String, AttributeValue> item, List<String> firstKeys)
            throws IOException {
        out.writeStartObject();
        for (String name : orderedNames(item, firstKeys)) {
            out.writeFieldName(name);
            writePlain(out, item.get(name));
        }
        out.writeEndObject();
    }

    /** The attribute names: {@code firstKeys} that the item has, then the others sorted. */
    static List<String> orderedNames(Map<String, AttributeValue> item, List<String> firstKeys) {
        List<String> names = new ArrayList<>(item.size());
        for (String key : firstKeys) {
            if (item.containsKey(key)) {
                names.add(key);
            }
        }
        TreeSet<String> rest = new TreeSet<>(item.keySet());
        firstKeys.forEach(rest::remove);
        names.addAll(rest);
        return names;
    }

    public static void writePlain(JsonGenerator out, AttributeValue value) throws IOException {
        switch (value.type()) {
            case S -> out.writeString(value.s());
            case N -> writeNumber(out, value.n());
            case B -> out.writeString(base64(value.b()));
            case BOOL -> out.writeBoolean(value.bool());
            case NUL -> out.writeNull();
            case SS -> {
                out.writeStartArray();
                for (String s : value.ss()) {
                    out.writeString(s);
                }
                out.writeEndArray();
            }
            case NS -> {
                out.writeStartArray();
                for (String n : value.ns()) {
                    writeNumber(out, n);
                }
                out.writeEndArray();
            }
            case BS -> {
                out.writeStartArray();
                for (SdkBytes b : value.bs()) {
                    out.writeString(base64(b));
                }
                out.writeEndArray();
            }
            case L -> {
                out.writeStartArray();
                for (AttributeValue element : value.l()) {
                    writePlain(out, element);
                }
                out.writeEndArray();
            }
            case M -> {
                out.writeStartObject();
                for (Map.Entry<String, AttributeValue> entry : new TreeMap<>(value.m()).entrySet()) {
                    out.writeFieldName(entry.getKey());
                    writePlain(out, entry.getValue());
                }
                out.writeEndObject();
            }
            default -> throw new IllegalArgumentException("unknown attribute type: " + value);
        }
    }

    private static void writeNumber(JsonGenerator out, String number) throws IOException {
        // DynamoDB returns numbers that are valid JSON; anything else (say "+1" or ".5") is normalised exactly.
        out.writeNumber(JSON_NUMBER.matcher(number).matches() ? number : new BigDecimal(number).toString());
    }

    static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }
}
