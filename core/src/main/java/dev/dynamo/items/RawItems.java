package dev.dynamo.items;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

// Over 400 lines on purpose: parsing a page, sizing each item and writing the items back as request bytes work on
// one set of index arrays filled in one pass; split apart, each part would need the others' internals.
/**
 * The items of one Scan page kept as the JSON bytes DynamoDB sent them in (its own typed format:
 * {@code {"pk":{"S":"a"},"n":{"N":"1.50"}}}), never turned into SDK objects on the copy path: a put
 * sends each item's bytes back unchanged, so numbers, binary, sets and nesting reach the target
 * exactly as the source holds them. While the page is parsed (once, by {@link #parse}), each item's
 * size is counted by {@link ItemSize}'s rules, its primary key is taken out, and so are the sizes of
 * the attributes a write-unit estimate needs.
 *
 * <p>As a {@code List<Map<String, AttributeValue>>} it is the page's items, each decoded when it is
 * asked for (rare paths only: a rejected batch written item by item, a dead letter). Immutable and
 * thread-safe.
 */
@API(status = INTERNAL, since = "0.1")
public final class RawItems extends AbstractList<Map<String, AttributeValue>> implements RandomAccess {
    /** DynamoDB JSON's parsers: no field twice in an object, attribute names as long as DynamoDB allows. */
    private static final JsonFactory JSON = DynamoJson.FACTORY;
    private static final byte[] EMPTY_ARRAY = "[]".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUT_OPEN = "{\"PutRequest\":{\"Item\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUT_CLOSE = "}}".getBytes(StandardCharsets.US_ASCII);

    /** What to take out of each item while it is parsed: the key attributes, and the sizes of some attributes. */
    public static final class Shape {
        private final List<String> keyNames;
        private final Map<String, Integer> slots = new HashMap<>();

        /**
         * @param keyNames     the primary key's attribute names
         * @param sizedNames   attributes whose sizes are kept (see {@link RawItems#attributeSize})
         */
        public Shape(List<String> keyNames, Collection<String> sizedNames) {
            this.keyNames = List.copyOf(keyNames);
            for (String name : sizedNames) {
                slots.putIfAbsent(name, slots.size());
            }
        }
    }

    /**
     * A parsed response.
     *
     * @param items the items
     * @param rest  the response without them ({@code "Items":[]}), for the SDK to parse the rest
     */
    public record Parsed(RawItems items, byte[] rest) {
    }

    private final byte[] body;
    private final Shape shape;
    private final int count;
    private final int[] starts;
    private final int[] ends;
    private final long[] sizes;
    private final List<Map<String, AttributeValue>> keys;
    /** count x slots: the size of each sized attribute, -1 where the item has none. */
    private final long[] attributeSizes;

    private RawItems(byte[] body, Shape shape, int count, int[] starts, int[] ends, long[] sizes,
            List<Map<String, AttributeValue>> keys, long[] attributeSizes) {
        this.body = body;
        this.shape = shape;
        this.count = count;
        this.starts = starts;
        this.ends = ends;
        this.sizes = sizes;
        this.keys = keys;
        this.attributeSizes = attributeSizes;
    }

    /**
     * Parses a Scan (or Query) response body: takes out its {@code Items}.
     *
     * @throws IOException if it is not such a response, or an item holds a value that is not DynamoDB JSON
     */
    public static Parsed parse(byte[] body, Shape shape) throws IOException {
        try {
            return parseItems(body, shape);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e); // not expected: DynamoJson checks every key value it decodes
        }
    }

    private static Parsed parseItems(byte[] body, Shape shape) throws IOException {
        int itemsFrom = -1;
        int itemsTo = -1;
        Builder items = new Builder(body, shape);
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!"Items".equals(field) || value != JsonToken.START_ARRAY) {
                    parser.skipChildren();
                    continue;
                }
                itemsFrom = (int) parser.currentTokenLocation().getByteOffset();
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    items.item(parser, start);
                }
                if (parser.currentToken() != JsonToken.END_ARRAY) {
                    throw new IOException("Items: expected an array of objects");
                }
                itemsTo = (int) parser.currentLocation().getByteOffset();
            }
        }
        if (itemsFrom < 0) {
            return new Parsed(items.build(), body);
        }
        byte[] rest = new byte[body.length - (itemsTo - itemsFrom) + EMPTY_ARRAY.length];
        System.arraycopy(body, 0, rest, 0, itemsFrom);
        System.arraycopy(EMPTY_ARRAY, 0, rest, itemsFrom, EMPTY_ARRAY.length);
        System.arraycopy(body, itemsTo, rest, itemsFrom + EMPTY_ARRAY.length, body.length - itemsTo);
        return new Parsed(items.build(), rest);
    }

    @Override
    public int size() {
        return count;
    }

    /** Item {@code i}, decoded. */
    @Override
    public Map<String, AttributeValue> get(int i) {
        checkIndex(i);
        try (JsonParser parser = JSON.createParser(body, starts[i], ends[i] - starts[i])) {
            parser.nextToken();
            return DynamoJson.readItem(parser, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // it was parsed once already
        }
    }

    /** Writes item {@code i}'s bytes, exactly as DynamoDB sent them ({@code {"pk":{"S":"a"},...}}), to {@code out}. */
    public void writeItem(int i, java.io.OutputStream out) throws IOException {
        out.write(body, starts[i], ends[i] - starts[i]);
    }

    /** Item {@code i}'s size, as {@link ItemSize#of} counts it. */
    public long sizeOf(int i) {
        checkIndex(i);
        return sizes[i];
    }

    /** Item {@code i}'s primary key attributes (those it has). */
    public Map<String, AttributeValue> keyOf(int i) {
        return keys.get(i);
    }

    /** Every item's primary key attributes (those it has), in item order. */
    public List<Map<String, AttributeValue>> keys() {
        return Collections.unmodifiableList(keys);
    }

    /**
     * The size of one of the shape's sized attributes in item {@code i} (the value's, as
     * {@link ItemSize#of(AttributeValue)} counts it), or -1 when the item does not have it.
     *
     * @throws IllegalArgumentException for an attribute the shape does not size
     */
    public long attributeSize(int i, String name) {
        checkIndex(i);
        Integer slot = shape.slots.get(name);
        if (slot == null) {
            throw new IllegalArgumentException("attribute not sized while parsing: " + name);
        }
        return attributeSizes[i * shape.slots.size() + slot];
    }

    /**
     * A BatchWriteItem request body that puts items {@code indexes} into {@code table}, each sent as
     * the bytes DynamoDB gave.
     */
    public byte[] putRequestBody(String table, int[] indexes, boolean returnConsumedCapacity) {
        byte[] head = ("{\"RequestItems\":{\"" + new String(JsonStringEncoder.getInstance().quoteAsString(table)) + "\":[")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = (returnConsumedCapacity ? "]},\"ReturnConsumedCapacity\":\"TOTAL\"}" : "]}}").getBytes(StandardCharsets.US_ASCII);
        int length = head.length + tail.length + Math.max(0, indexes.length - 1);
        for (int i : indexes) {
            checkIndex(i);
            length += PUT_OPEN.length + ends[i] - starts[i] + PUT_CLOSE.length;
        }
        byte[] out = new byte[length];
        int at = put(out, 0, head, 0, head.length);
        for (int n = 0; n < indexes.length; n++) {
            int i = indexes[n];
            if (n > 0) {
                out[at++] = ',';
            }
            at = put(out, at, PUT_OPEN, 0, PUT_OPEN.length);
            at = put(out, at, body, starts[i], ends[i] - starts[i]);
            at = put(out, at, PUT_CLOSE, 0, PUT_CLOSE.length);
        }
        put(out, at, tail, 0, tail.length);
        return out;
    }

    /** Items {@code indexes} of this page, each decoded when asked for. */
    public List<Map<String, AttributeValue>> select(int[] indexes) {
        int[] chosen = indexes.clone();
        return new SelectedItems(chosen);
    }

    private final class SelectedItems extends AbstractList<Map<String, AttributeValue>> implements RandomAccess {
        private final int[] indexes;

        SelectedItems(int[] indexes) {
            this.indexes = indexes;
        }

        @Override
        public Map<String, AttributeValue> get(int n) {
            return RawItems.this.get(indexes[n]);
        }

        @Override
        public int size() {
            return indexes.length;
        }
    }

    private static int put(byte[] out, int at, byte[] from, int start, int length) {
        System.arraycopy(from, start, out, at, length);
        return at + length;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("item " + i + " of " + count);
        }
    }

    /** Collects the items of a page as they are parsed. */
    private static final class Builder {
        private final byte[] body;
        private final Shape shape;
        private final int slotCount;
        private int count;
        private int[] starts = new int[64];
        private int[] ends = new int[64];
        private long[] sizes = new long[64];
        private long[] attributeSizes;
        private final List<Map<String, AttributeValue>> keys = new ArrayList<>();

        Builder(byte[] body, Shape shape) {
            this.body = body;
            this.shape = shape;
            this.slotCount = shape.slots.size();
            this.attributeSizes = new long[64 * slotCount];
        }

        /** Parses the item whose START_OBJECT (at byte {@code start}) is the current token, through its END_OBJECT. */
        void item(JsonParser parser, int start) throws IOException {
            if (count == starts.length) {
                int capacity = count * 2;
                starts = Arrays.copyOf(starts, capacity);
                ends = Arrays.copyOf(ends, capacity);
                sizes = Arrays.copyOf(sizes, capacity);
                attributeSizes = Arrays.copyOf(attributeSizes, capacity * slotCount);
            }
            int slotBase = count * slotCount;
            Arrays.fill(attributeSizes, slotBase, slotBase + slotCount, -1);
            Map<String, AttributeValue> key = new HashMap<>(4);
            long size = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException(name + ": expected a typed value such as {\"S\":\"text\"}");
                }
                long valueSize;
                if (shape.keyNames.contains(name)) {
                    AttributeValue value = DynamoJson.readValue(parser, name);
                    key.put(name, value);
                    valueSize = ItemSize.of(value);
                } else {
                    valueSize = valueSize(parser);
                }
                size += ItemSize.utf8Length(name) + valueSize;
                if (slotCount > 0) {
                    Integer slot = shape.slots.get(name);
                    if (slot != null) {
                        attributeSizes[slotBase + slot] = valueSize;
                    }
                }
            }
            starts[count] = start;
            ends[count] = (int) parser.currentLocation().getByteOffset();
            sizes[count] = size;
            keys.add(key);
            count++;
        }

        RawItems build() {
            return new RawItems(body, shape, count, starts, ends, sizes, keys, attributeSizes);
        }
    }

    /** The size of the typed value whose START_OBJECT is the current token, read through its END_OBJECT. */
    private static long valueSize(JsonParser parser) throws IOException {
        String type = typeOf(parser);
        JsonToken token = parser.nextToken();
        long size;
        switch (type) {
            case "S" -> size = utf8Length(parser);
            case "N" -> size = numberLength(parser);
            case "B" -> size = binaryLength(parser);
            case "BOOL" -> {
                expect(token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE, "BOOL must be true or false");
                size = 1;
            }
            case "NULL" -> {
                expect(token == JsonToken.VALUE_TRUE, "NULL must be true");
                size = 1;
            }
            case "SS", "NS", "BS" -> {
                expect(token == JsonToken.START_ARRAY, type + " must be an array");
                size = 0;
                while (parser.nextToken() == JsonToken.VALUE_STRING) {
                    size += switch (type) {
                        case "SS" -> utf8Length(parser);
                        case "NS" -> numberLength(parser);
                        default -> binaryLength(parser);
                    };
                }
            }
            case "L" -> {
                expect(token == JsonToken.START_ARRAY, "L must be an array");
                size = 3;
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    size += 1 + valueSize(parser);
                }
            }
            case "M" -> {
                expect(token == JsonToken.START_OBJECT, "M must be an object");
                size = 3;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    expect(parser.nextToken() == JsonToken.START_OBJECT, name + ": expected a typed value");
                    size += 1 + ItemSize.utf8Length(name) + valueSize(parser);
                }
            }
            default -> throw new IOException("unknown attribute type '" + type + "'");
        }
        expect(parser.nextToken() == JsonToken.END_OBJECT, "a typed value holds one type");
        return size;
    }

    private static String typeOf(JsonParser parser) throws IOException {
        expect(parser.nextToken() == JsonToken.FIELD_NAME, "expected a typed value such as {\"S\":\"text\"}");
        return parser.currentName();
    }

    private static long utf8Length(JsonParser parser) throws IOException {
        expect(parser.currentToken() == JsonToken.VALUE_STRING, "expected a string");
        return ItemSize.utf8Length(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    private static long numberLength(JsonParser parser) throws IOException {
        expect(parser.currentToken() == JsonToken.VALUE_STRING, "expected a number as a string");
        char[] chars = parser.getTextCharacters();
        int from = parser.getTextOffset();
        int length = parser.getTextLength();
        // Cheap on the copy's hot path: only a number's characters, with a digit. Not a full grammar; DynamoDB refuses the rest.
        boolean digit = false;
        for (int i = from; i < from + length; i++) {
            char c = chars[i];
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E') {
                throw new IOException("a number holds '" + c + "'");
            }
        }
        expect(digit, "a number without a digit");
        return ItemSize.numberLength(chars, from, length);
    }

    /** The length of the bytes a base64 string decodes to. */
    private static long binaryLength(JsonParser parser) throws IOException {
        expect(parser.currentToken() == JsonToken.VALUE_STRING, "expected base64 as a string");
        char[] chars = parser.getTextCharacters();
        int from = parser.getTextOffset();
        int length = parser.getTextLength();
        int padding = 0;
        while (padding < length && padding < 2 && chars[from + length - 1 - padding] == '=') {
            padding++;
        }
        expect(length % 4 == 0, "binary that is not base64 (its length)");
        for (int i = from; i < from + length - padding; i++) {
            char c = chars[i];
            expect(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/',
                    "binary that is not base64");
        }
        return (long) (length - padding) * 3 / 4;
    }

    private static void expect(boolean condition, String problem) throws IOException {
        if (!condition) {
            throw new IOException(problem);
        }
    }
}
