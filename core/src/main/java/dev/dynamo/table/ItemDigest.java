package dev.dynamo.table;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apiguardian.api.API;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A 128-bit digest of an item's canonical encoding: equal for two items exactly when DynamoDB
 * considers every attribute equal (barring a SHA-256 collision in 128 bits).
 *
 * <p>The canonical encoding is binary, never {@code toString()}: each value is a type tag followed
 * by its content, lengths are explicit, so no two different values encode alike. Within it,
 * attribute and map entry names are sorted, set elements are sorted (by their encoding), numbers
 * are normalised by value ({@code 1.0}, {@code 1} and {@code 1E0} encode alike, as DynamoDB stores
 * them alike), binary is its bytes and strings their UTF-8. Lists keep their order, which DynamoDB
 * keeps too. A number set and a string set of the same text differ, as do {@code "1"} and {@code 1}.
 *
 * <p>Not thread-safe: each thread uses its own instance (it reuses a buffer and a
 * {@link MessageDigest}).
 */
@API(status = INTERNAL, since = "0.1")
public final class ItemDigest {
    /** Digest length: 128 bits. */
    public static final int BYTES = 16;

    private static final byte MAP = 'M';
    private static final byte LIST = 'L';
    private static final byte STRING = 'S';
    private static final byte NUMBER = 'N';
    private static final byte BINARY = 'B';
    private static final byte TRUE = 'T';
    private static final byte FALSE = 'F';
    private static final byte NULL = '0';
    private static final byte STRING_SET = 's';
    private static final byte NUMBER_SET = 'n';
    private static final byte BINARY_SET = 'b';

    private final MessageDigest sha256;
    private final Buffer buffer = new Buffer();

    private ItemDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public static ItemDigest create() {
        return new ItemDigest();
    }

    /** The first 128 bits of the SHA-256 of the item's canonical encoding. */
    public byte[] digest(Map<String, AttributeValue> item) {
        buffer.reset();
        encodeMap(buffer, item);
        sha256.update(buffer.bytes, 0, buffer.length);
        return Arrays.copyOf(sha256.digest(), BYTES);
    }

    /** The item's canonical encoding (what {@link #digest} hashes). */
    static byte[] canonical(Map<String, AttributeValue> item) {
        Buffer out = new Buffer();
        encodeMap(out, item);
        return Arrays.copyOf(out.bytes, out.length);
    }

    /**
     * A number in its one normal form: no exponent, no leading or trailing zeros, {@code 0} for zero;
     * equal for numbers DynamoDB considers equal ({@code 1.50}, {@code 1.5}, {@code 15E-1}).
     *
     * @throws NumberFormatException when the text is not a number
     */
    public static String canonicalNumber(String number) {
        BigDecimal value = new BigDecimal(number.trim());
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    private static void encodeMap(Buffer out, Map<String, AttributeValue> map) {
        out.put(MAP);
        out.putInt(map.size());
        for (Map.Entry<String, AttributeValue> entry : new TreeMap<>(map).entrySet()) {
            out.putText(entry.getKey());
            encode(out, entry.getValue());
        }
    }

    private static void encode(Buffer out, AttributeValue value) {
        switch (value.type()) {
            case S -> {
                out.put(STRING);
                out.putText(value.s());
            }
            case N -> {
                out.put(NUMBER);
                out.putText(canonicalNumber(value.n()));
            }
            case B -> {
                out.put(BINARY);
                out.putBytes(value.b().asByteArrayUnsafe());
            }
            case BOOL -> out.put(value.bool() ? TRUE : FALSE);
            case NUL -> out.put(NULL);
            case SS -> sortedSet(out, STRING_SET, value.ss().stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
            case NS -> sortedSet(out, NUMBER_SET,
                    value.ns().stream().map(n -> canonicalNumber(n).getBytes(StandardCharsets.US_ASCII)).toList());
            case BS -> sortedSet(out, BINARY_SET, value.bs().stream().map(SdkBytes::asByteArrayUnsafe).toList());
            case L -> {
                out.put(LIST);
                out.putInt(value.l().size());
                for (AttributeValue element : value.l()) {
                    encode(out, element);
                }
            }
            case M -> encodeMap(out, value.m());
            default -> throw new IllegalArgumentException("unknown attribute type: " + value);
        }
    }

    /** The elements' bytes sorted (unsigned), each with its length: the same set in any order encodes alike. */
    private static void sortedSet(Buffer out, byte tag, List<byte[]> elements) {
        List<byte[]> sorted = new ArrayList<>(elements);
        sorted.sort(Arrays::compareUnsigned);
        out.put(tag);
        out.putInt(sorted.size());
        for (byte[] element : sorted) {
            out.putBytes(element);
        }
    }

    /** A growable byte array, reused between items. */
    private static final class Buffer {
        byte[] bytes = new byte[1024];
        int length;

        void reset() {
            length = 0;
        }

        void put(byte b) {
            ensure(1);
            bytes[length++] = b;
        }

        void putInt(int value) {
            ensure(4);
            bytes[length++] = (byte) (value >>> 24);
            bytes[length++] = (byte) (value >>> 16);
            bytes[length++] = (byte) (value >>> 8);
            bytes[length++] = (byte) value;
        }

        void putText(String text) {
            putBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        void putBytes(byte[] content) {
            putInt(content.length);
            ensure(content.length);
            System.arraycopy(content, 0, bytes, length, content.length);
            length += content.length;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
