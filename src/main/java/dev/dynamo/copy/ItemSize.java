package dev.dynamo.copy;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The size of an item as DynamoDB counts it for the 400 KB item limit and for capacity units:
 * attribute names and strings in UTF-8 bytes, numbers about one byte per two significant digits
 * plus one, binary by length, BOOL and NULL one byte, lists and maps three bytes plus one per
 * element. Used for batch sizes, "MB copied" and capacity estimates, never for correctness.
 */
public final class ItemSize {
    private ItemSize() {
    }

    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8Length(attribute.getKey()) + of(attribute.getValue());
        }
        return size;
    }

    /** The write units a put of the item costs on the table alone (indexes add their own). */
    public static long writeUnits(long itemBytes) {
        return Math.max(1, (itemBytes + CopyDefaults.WRITE_UNIT_BYTES - 1) / CopyDefaults.WRITE_UNIT_BYTES);
    }

    static long of(AttributeValue value) {
        return switch (value.type()) {
            case S -> utf8Length(value.s());
            case N -> numberLength(value.n());
            case B -> value.b().asByteArrayUnsafe().length;
            case BOOL, NUL -> 1;
            case SS -> value.ss().stream().mapToLong(ItemSize::utf8Length).sum();
            case NS -> value.ns().stream().mapToLong(ItemSize::numberLength).sum();
            case BS -> value.bs().stream().mapToLong(bytes -> bytes.asByteArrayUnsafe().length).sum();
            case L -> 3 + value.l().stream().mapToLong(element -> 1 + of(element)).sum();
            case M -> 3 + value.m().entrySet().stream()
                    .mapToLong(entry -> 1 + utf8Length(entry.getKey()) + of(entry.getValue())).sum();
            default -> 0;
        };
    }

    static long numberLength(String number) {
        int digits = 0;
        boolean leading = true;
        int trailingZeros = 0;
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c == 'e' || c == 'E') {
                break;
            }
            if (c < '0' || c > '9') {
                continue;
            }
            if (leading && c == '0') {
                continue;
            }
            leading = false;
            digits++;
            trailingZeros = c == '0' ? trailingZeros + 1 : 0;
        }
        int significant = Math.max(1, digits - trailingZeros);
        return (significant + 1) / 2 + 1;
    }

    static long utf8Length(String text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
