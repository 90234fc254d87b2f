package dev.dynamo.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.Buildable;

/**
 * An SDK model object as the service's own JSON, the way {@code aws dynamodb describe-table} shows it:
 * {@code {"Table": {"TableName": "Orders", "KeySchema": [...], "CreationDateTime": 1733050000.123, ...}}}.
 * Written generically from the model's {@link SdkPojo#sdkFields()} (each field's wire name and marshalling
 * type), so every field the SDK knows is printed, including those added by later SDK versions, with no list
 * of names kept here. Enums print as the service sent them (the fields hold strings), timestamps as epoch
 * seconds, binary as base64; absent fields are left out. {@link #read} is the inverse, through the same fields.
 */
public final class SdkJson {
    private SdkJson() {
    }

    /** {@code pojo} as pretty JSON (two-space indentation, {@code "key": value}), without a final newline. */
    public static String pretty(SdkPojo pojo) {
        StringWriter buffer = new StringWriter();
        try (JsonGenerator gen = JsonItemPrinter.JSON.createGenerator(buffer)) {
            gen.setPrettyPrinter(JsonItemPrinter.prettyPrinter());
            write(gen, pojo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toString();
    }

    /** Writes {@code pojo} as one JSON object, fields in the model's order. */
    public static void write(JsonGenerator gen, SdkPojo pojo) throws IOException {
        gen.writeStartObject();
        for (SdkField<?> field : pojo.sdkFields()) {
            if (field.location() != MarshallLocation.PAYLOAD) {
                continue;
            }
            Object value = field.getValueOrDefault(pojo);
            // An unset list or map is an auto-constructed empty one: absent in the answer, so absent here too.
            if (value == null || value instanceof SdkAutoConstructList || value instanceof SdkAutoConstructMap) {
                continue;
            }
            gen.writeFieldName(field.locationName());
            writeValue(gen, field, value);
        }
        gen.writeEndObject();
    }

    private static void writeValue(JsonGenerator gen, SdkField<?> field, Object value) throws IOException {
        if (value == null) {
            gen.writeNull();
            return;
        }
        switch (field.marshallingType().getKnownType()) {
            case STRING -> gen.writeString((String) value);
            case INTEGER, LONG, SHORT, BYTE -> gen.writeNumber(((Number) value).longValue());
            case FLOAT, DOUBLE -> gen.writeNumber(((Number) value).doubleValue());
            case BIG_DECIMAL -> gen.writeNumber((BigDecimal) value);
            case BOOLEAN -> gen.writeBoolean((Boolean) value);
            case INSTANT -> gen.writeNumber(epochSeconds((Instant) value));
            case SDK_BYTES -> gen.writeString(Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArrayUnsafe()));
            case SDK_POJO -> write(gen, (SdkPojo) value);
            case LIST -> {
                SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
                gen.writeStartArray();
                for (Object element : (List<?>) value) {
                    writeValue(gen, member, element);
                }
                gen.writeEndArray();
            }
            case MAP -> {
                SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
                gen.writeStartObject();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    gen.writeFieldName((String) entry.getKey());
                    writeValue(gen, member, entry.getValue());
                }
                gen.writeEndObject();
            }
            default -> throw new IllegalArgumentException("field " + field.locationName() + " has a type SdkJson does not write: "
                    + field.marshallingType().getKnownType());
        }
    }

    /** {@code 1733050000.123} (or {@code 1733050000} on a whole second), as DynamoDB's JSON sends a timestamp. */
    static BigDecimal epochSeconds(Instant instant) {
        BigDecimal seconds = BigDecimal.valueOf(instant.getEpochSecond());
        return instant.getNano() == 0 ? seconds : seconds.add(BigDecimal.valueOf(instant.getNano(), 9)).stripTrailingZeros();
    }

    /**
     * The model object {@code node} describes, built with the builder {@code builder} supplies (as
     * {@code DescribeTableResponse::builder}): the inverse of {@link #write}.
     *
     * @throws IllegalArgumentException for a key the model has no field for, or a value of the wrong JSON type
     */
    public static <T> T read(JsonNode node, Supplier<? extends SdkPojo> builder, Class<T> type) {
        return type.cast(read(node, builder));
    }

    private static Object read(JsonNode node, Supplier<? extends SdkPojo> constructor) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, not " + node);
        }
        SdkPojo builder = constructor.get();
        Map<String, SdkField<?>> fields = new LinkedHashMap<>();
        builder.sdkFields().forEach(field -> fields.put(field.locationName(), field));
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            SdkField<?> field = fields.get(entry.getKey());
            if (field == null) {
                throw new IllegalArgumentException("no field '" + entry.getKey() + "' in " + builder.getClass().getName());
            }
            field.set(builder, readValue(field, entry.getValue()));
        }
        return ((Buildable) builder).build();
    }

    private static Object readValue(SdkField<?> field, JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        return switch (field.marshallingType().getKnownType()) {
            case STRING -> text(field, node);
            case INTEGER -> number(field, node).intValue();
            case LONG -> number(field, node).longValue();
            case SHORT -> number(field, node).shortValue();
            case BYTE -> (byte) number(field, node).intValue();
            case FLOAT -> number(field, node).floatValue();
            case DOUBLE -> number(field, node).doubleValue();
            case BIG_DECIMAL -> number(field, node).decimalValue();
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw wrongType(field, node);
                }
                yield node.booleanValue();
            }
            case INSTANT -> {
                BigDecimal seconds = number(field, node).decimalValue();
                BigDecimal whole = new BigDecimal(seconds.toBigInteger());
                yield Instant.ofEpochSecond(whole.longValueExact(), seconds.subtract(whole).movePointRight(9).longValue());
            }
            case SDK_BYTES -> SdkBytes.fromByteArray(Base64.getDecoder().decode(text(field, node)));
            case SDK_POJO -> read(node, field.constructor());
            case LIST -> {
                if (!node.isArray()) {
                    throw wrongType(field, node);
                }
                SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
                List<Object> list = new ArrayList<>();
                node.forEach(element -> list.add(readValue(member, element)));
                yield list;
            }
            case MAP -> {
                if (!node.isObject()) {
                    throw wrongType(field, node);
                }
                SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
                Map<String, Object> map = new LinkedHashMap<>();
                node.fields().forEachRemaining(entry -> map.put(entry.getKey(), readValue(member, entry.getValue())));
                yield map;
            }
            default -> throw new IllegalArgumentException("field " + field.locationName() + " has a type SdkJson does not read: "
                    + field.marshallingType().getKnownType());
        };
    }

    private static String text(SdkField<?> field, JsonNode node) {
        if (!node.isTextual()) {
            throw wrongType(field, node);
        }
        return node.textValue();
    }

    private static JsonNode number(SdkField<?> field, JsonNode node) {
        if (!node.isNumber()) {
            throw wrongType(field, node);
        }
        return node;
    }

    private static IllegalArgumentException wrongType(SdkField<?> field, JsonNode node) {
        return new IllegalArgumentException("field " + field.locationName() + " (" + field.marshallingType().getKnownType()
                + ") cannot be " + node);
    }
}
