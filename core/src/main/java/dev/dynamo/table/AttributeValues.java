package dev.dynamo.table;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apiguardian.api.API;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Equality and order of attribute values as DynamoDB sees them: numbers by value ({@code 1.0}
 * equals {@code 1}), sets regardless of element order, maps regardless of key order.
 */
@API(status = INTERNAL, since = "0.1")
public final class AttributeValues {
    /**
     * Orders by type (NULL, BOOL, N, S, B, SS, NS, BS, L, M), then by value within a type: numbers
     * numerically, strings and binary as DynamoDB sorts keys, sets by their sorted elements, lists
     * element by element, maps by their entries in name order.
     */
    public static final Comparator<AttributeValue> ORDER = AttributeValues::compare;

    private AttributeValues() {
    }

    /**
     * A string that is equal for two values exactly when DynamoDB considers them equal. Used as a
     * map key (distinct values) and for hashing items (verify).
     */
    public static String canonical(AttributeValue value) {
        StringBuilder out = new StringBuilder();
        appendCanonical(out, value);
        return out.toString();
    }

    private static void appendCanonical(StringBuilder out, AttributeValue value) {
        switch (value.type()) {
            case S -> quote(out.append("S:"), value.s());
            case N -> out.append("N:").append(normalNumber(value.n()));
            case B -> out.append("B:").append(hex(value.b()));
            case BOOL -> out.append("BOOL:").append(value.bool());
            case NUL -> out.append("NULL");
            case SS -> sortedList(out, "SS", value.ss().stream().map(s -> quote(new StringBuilder(), s).toString()).toList());
            case NS -> sortedList(out, "NS", value.ns().stream().map(AttributeValues::normalNumber).toList());
            case BS -> sortedList(out, "BS", value.bs().stream().map(AttributeValues::hex).toList());
            case L -> {
                out.append("L[");
                for (int i = 0; i < value.l().size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    appendCanonical(out, value.l().get(i));
                }
                out.append(']');
            }
            case M -> {
                out.append("M{");
                boolean first = true;
                for (Map.Entry<String, AttributeValue> entry : new TreeMap<>(value.m()).entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    quote(out, entry.getKey()).append('=');
                    appendCanonical(out, entry.getValue());
                }
                out.append('}');
            }
            default -> throw new IllegalArgumentException("unknown attribute type: " + value);
        }
    }

    private static void sortedList(StringBuilder out, String tag, List<String> elements) {
        List<String> sorted = new ArrayList<>(elements);
        sorted.sort(null);
        out.append(tag).append('[').append(String.join(",", sorted)).append(']');
    }

    private static StringBuilder quote(StringBuilder out, String text) {
        return out.append(text.length()).append('"').append(text).append('"');
    }

    private static String normalNumber(String number) {
        BigDecimal value = new BigDecimal(number);
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toString();
    }

    private static String hex(SdkBytes bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes.asByteArrayUnsafe()) {
            out.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return out.toString();
    }

    /** True when DynamoDB considers the two values equal. */
    public static boolean same(AttributeValue a, AttributeValue b) {
        return a.type() == b.type() && canonical(a).equals(canonical(b));
    }

    private static int rank(AttributeValue value) {
        return switch (value.type()) {
            case NUL -> 0;
            case BOOL -> 1;
            case N -> 2;
            case S -> 3;
            case B -> 4;
            case SS -> 5;
            case NS -> 6;
            case BS -> 7;
            case L -> 8;
            case M -> 9;
            default -> 10;
        };
    }

    private static int compare(AttributeValue a, AttributeValue b) {
        int byType = Integer.compare(rank(a), rank(b));
        if (byType != 0) {
            return byType;
        }
        return switch (a.type()) {
            case N -> compareNumbers(a.n(), b.n());
            case S -> compareStrings(a.s(), b.s());
            case B -> compareBytes(a.b().asByteArrayUnsafe(), b.b().asByteArrayUnsafe());
            case BOOL -> Boolean.compare(a.bool(), b.bool());
            case NUL -> 0;
            case SS -> compareLists(sortedCopy(a.ss(), AttributeValues::compareStrings),
                    sortedCopy(b.ss(), AttributeValues::compareStrings), AttributeValues::compareStrings);
            case NS -> compareLists(sortedCopy(a.ns(), AttributeValues::compareNumbers),
                    sortedCopy(b.ns(), AttributeValues::compareNumbers), AttributeValues::compareNumbers);
            case BS -> compareLists(sortedCopy(a.bs(), AttributeValues::compareBinary),
                    sortedCopy(b.bs(), AttributeValues::compareBinary), AttributeValues::compareBinary);
            case L -> compareLists(a.l(), b.l(), AttributeValues::compare);
            case M -> compareLists(new ArrayList<>(new TreeMap<>(a.m()).entrySet()), new ArrayList<>(new TreeMap<>(b.m()).entrySet()),
                    (x, y) -> {
                        int byName = compareStrings(x.getKey(), y.getKey());
                        return byName != 0 ? byName : compare(x.getValue(), y.getValue());
                    });
            default -> canonical(a).compareTo(canonical(b));
        };
    }

    /** Element by element, then the shorter first: how "a" sorts before "ab". */
    private static <T> int compareLists(List<T> a, List<T> b, Comparator<T> order) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int byElement = order.compare(a.get(i), b.get(i));
            if (byElement != 0) {
                return byElement;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static <T> List<T> sortedCopy(List<T> elements, Comparator<T> order) {
        List<T> sorted = new ArrayList<>(elements);
        sorted.sort(order);
        return sorted;
    }

    private static int compareNumbers(String a, String b) {
        return new BigDecimal(a).compareTo(new BigDecimal(b));
    }

    private static int compareBinary(SdkBytes a, SdkBytes b) {
        return compareBytes(a.asByteArrayUnsafe(), b.asByteArrayUnsafe());
    }

    /**
     * By code point, which is the order of the UTF-8 bytes DynamoDB compares. {@link String#compareTo}
     * compares UTF-16 units and puts an emoji (a surrogate pair) before U+E000..U+FFFF.
     */
    private static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Unsigned, byte by byte, as DynamoDB orders binary keys. */
    private static int compareBytes(byte[] a, byte[] b) {
        int length = Math.min(a.length, b.length);
        for (int i = 0; i < length; i++) {
            int byByte = Integer.compare(a[i] & 0xFF, b[i] & 0xFF);
            if (byByte != 0) {
                return byByte;
            }
        }
        return Integer.compare(a.length, b.length);
    }
}
