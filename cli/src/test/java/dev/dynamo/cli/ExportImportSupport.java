package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.b;
import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.testing.CopyFixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the export and import round-trip tests share: items with every attribute type and DynamoDB's edge cases, a
 * reader of DynamoDB JSON data files written with plain Jackson and gzip (no dynamo code), and an item comparison that
 * keeps the exact digits of numbers (DynamoDB JSON) or compares them by value (Ion).
 */
final class ExportImportSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> KEYS = List.of("pk", "sk");
    /** A string attribute this long makes an item of about 390 KB (DynamoDB allows 400 KB). */
    static final int BIG_ITEM_CHARS = 390_000;

    private ExportImportSupport() {
    }

    /** How numbers are compared. */
    enum Numbers {
        /** The digits as DynamoDB returned them: "1.50" is not "1.5". For DynamoDB JSON. */
        EXACT,
        /** By value: "1.50" equals "1.5", "1E-130" equals "0.00…1". Acceptable for Ion only. */
        BY_VALUE
    }

    /**
     * {@code count} items keyed pk (S, {@code p0} to {@code p3}) and sk (N): each with every attribute type
     * ({@link CopyFixtures#everyType}) and more edge cases (38-digit and negative numbers, exponents -130 and +125,
     * trailing zeros, empty strings and binaries, maps and lists nested 20 levels, sets of each kind), a
     * {@code status} for the KEYS_ONLY index on one item in three, and, for the first two, about 390 KB of string
     * or binary.
     */
    static List<Map<String, AttributeValue>> edgeItems(int count) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, AttributeValue> item = new LinkedHashMap<>(everyType(Map.of("pk", s("p" + i % 4), "sk", n(String.valueOf(i))), i));
            item.put("n38negative", n("-1234567890123456789012345678901234567" + i % 10));
            item.put("n38fraction", n("0.12345678901234567890123456789012345678"));
            item.put("exponentLow", n("1E-130"));
            item.put("exponentLowNegative", n("-1E-130"));
            item.put("exponentHigh", n("1E+125"));
            item.put("exponentHighNegative", n("-9.9999999999999999999999999999999999999E+125"));
            item.put("trailingZeros", n("1.50"));
            item.put("trailingZerosNegative", n("-0.100"));
            item.put("negative", n("-" + (i + 1)));
            item.put("zero", n("0"));
            item.put("emptyString", s(""));
            item.put("emptyBinary", b());
            item.put("deepMap", nested(20, i, true));
            item.put("deepList", nested(20, i, false));
            item.put("strings2", AttributeValue.fromSs(List.of("ü", "\t tab", "z" + i)));
            item.put("numbers2", AttributeValue.fromNs(List.of("1.50", "1E-130", "-1E+125", "-38", String.valueOf(i))));
            item.put("blobs2", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {(byte) 0xff, 0}),
                    SdkBytes.fromByteArray(new byte[] {(byte) i}))));
            item.put("yes", AttributeValue.fromBool(true));
            item.put("no", AttributeValue.fromBool(false));
            item.put("none", AttributeValue.fromNul(true));
            if (i % 3 == 0) {
                item.put("status", s(i % 2 == 0 ? "open" : "closed"));
            }
            if (i == 0) {
                item.put("big", s("x".repeat(BIG_ITEM_CHARS)));
            } else if (i == 1) {
                byte[] bytes = new byte[BIG_ITEM_CHARS];
                Arrays.fill(bytes, (byte) 0x5a);
                bytes[0] = 0;
                item.put("bigBinary", AttributeValue.fromB(SdkBytes.fromByteArray(bytes)));
            }
            items.add(item);
        }
        return items;
    }

    /** A map in a list in a map ... {@code levels} deep (starting with a map or a list), with values of each kind at the bottom. */
    static AttributeValue nested(int levels, int seed, boolean map) {
        AttributeValue value = AttributeValue.fromM(Map.of("leaf", s("bottom " + seed), "n", n("1.50"), "e", s(""),
                "set", AttributeValue.fromNs(List.of("1", "2.5"))));
        for (int level = 1; level < levels; level++) {
            boolean asMap = (level % 2 == 0) == map;
            value = asMap ? AttributeValue.fromM(Map.of("level" + level, value, "n", n(String.valueOf(level))))
                    : AttributeValue.fromL(List.of(value, n("-" + level), AttributeValue.fromBool(level % 3 == 0)));
        }
        return value;
    }

    /**
     * Asserts that {@code actual} holds exactly the items of {@code expected}: the same keys, and in each item the same
     * attributes with the same values; sets in any order; numbers as {@code numbers} says.
     */
    static void assertSameItems(Map<String, Map<String, AttributeValue>> expected, Map<String, Map<String, AttributeValue>> actual,
            Numbers numbers) {
        assertThat(actual.keySet()).as("the keys of the items").isEqualTo(expected.keySet());
        for (Map.Entry<String, Map<String, AttributeValue>> entry : expected.entrySet()) {
            Map<String, String> want = canonical(entry.getValue(), numbers);
            Map<String, String> got = canonical(actual.get(entry.getKey()), numbers);
            assertThat(got).as("item %s (numbers %s)", entry.getKey(), numbers).isEqualTo(want);
        }
    }

    static Map<String, String> canonical(Map<String, AttributeValue> item, Numbers numbers) {
        Map<String, String> canonical = new TreeMap<>();
        item.forEach((name, value) -> canonical.put(name, canonical(value, numbers)));
        return canonical;
    }

    /** A text equal for two values exactly when they are equal under {@code numbers}; sets sorted, maps by name. */
    static String canonical(AttributeValue value, Numbers numbers) {
        Function<String, String> number = text -> numbers == Numbers.EXACT ? text
                : new BigDecimal(text).stripTrailingZeros().toString();
        switch (value.type()) {
            case S:
                return "S" + JSON.valueToTree(value.s());
            case N:
                return "N(" + number.apply(value.n()) + ")";
            case B:
                return "B(" + Base64.getEncoder().encodeToString(value.b().asByteArray()) + ")";
            case BOOL:
                return "BOOL(" + value.bool() + ")";
            case NUL:
                return "NULL(" + value.nul() + ")";
            case SS:
                return "SS" + value.ss().stream().map(text -> JSON.valueToTree(text).toString()).sorted().toList();
            case NS:
                return "NS" + value.ns().stream().map(number).sorted().toList();
            case BS:
                return "BS" + value.bs().stream().map(bytes -> Base64.getEncoder().encodeToString(bytes.asByteArray())).sorted().toList();
            case L:
                return "L" + value.l().stream().map(element -> canonical(element, numbers)).toList();
            case M:
                Map<String, String> entries = new TreeMap<>();
                value.m().forEach((name, element) -> entries.put(name, canonical(element, numbers)));
                return "M" + entries;
            default:
                throw new IllegalArgumentException("unknown attribute type: " + value);
        }
    }

    /** The lines of a data file (gzip), as DynamoDB JSON items ({@code {"Item":{...}}}), parsed with plain Jackson. */
    static List<Map<String, AttributeValue>> readDynamoDbJsonDataFile(byte[] gzipped) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (String line : gunzip(gzipped).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonNode record = JSON.readTree(line);
                assertThat(record.size()).as("fields of the record %s", line.length() > 200 ? line.substring(0, 200) : line).isEqualTo(1);
                items.add(item(record.get("Item")));
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + line, e);
            }
        }
        return items;
    }

    /** The text of a gzip file. */
    static String gunzip(byte[] gzipped) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("not gzip", e);
        }
    }

    static Map<String, AttributeValue> item(JsonNode object) {
        assertThat(object).as("an item").isNotNull();
        assertThat(object.isObject()).as("an item is an object: %s", object).isTrue();
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            item.put(field.getKey(), value(field.getValue()));
        }
        return item;
    }

    private static AttributeValue value(JsonNode typed) {
        assertThat(typed.size()).as("one type in %s", typed).isEqualTo(1);
        Map.Entry<String, JsonNode> only = typed.fields().next();
        JsonNode v = only.getValue();
        return switch (only.getKey()) {
            case "S" -> AttributeValue.fromS(text(v));
            case "N" -> AttributeValue.fromN(text(v));
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(text(v))));
            case "BOOL" -> {
                assertThat(v.isBoolean()).as("BOOL %s", v).isTrue();
                yield AttributeValue.fromBool(v.booleanValue());
            }
            case "NULL" -> {
                assertThat(v.isBoolean() && v.booleanValue()).as("NULL %s", v).isTrue();
                yield AttributeValue.fromNul(true);
            }
            case "SS" -> AttributeValue.fromSs(texts(v));
            case "NS" -> AttributeValue.fromNs(texts(v));
            case "BS" -> AttributeValue.fromBs(texts(v).stream().map(text -> SdkBytes.fromByteArray(Base64.getDecoder().decode(text))).toList());
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                v.forEach(element -> list.add(value(element)));
                yield AttributeValue.fromL(list);
            }
            case "M" -> AttributeValue.fromM(item(v));
            default -> throw new AssertionError("unknown type " + only.getKey() + " in " + typed);
        };
    }

    private static String text(JsonNode node) {
        assertThat(node.isTextual()).as("a string: %s", node).isTrue();
        return node.textValue();
    }

    private static List<String> texts(JsonNode array) {
        assertThat(array.isArray()).as("an array: %s", array).isTrue();
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(text(element)));
        return texts;
    }

    /** The base64 MD5 of the bytes, as manifest-files.json's md5Checksum. */
    static String md5Base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(md5(bytes));
    }

    static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lines of manifest-files.json, parsed. */
    static List<JsonNode> jsonLines(byte[] bytes) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("not JSON: " + line, e);
                }
            }
        }
        return lines;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }
}
