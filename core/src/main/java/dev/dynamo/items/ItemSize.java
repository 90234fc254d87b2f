package dev.dynamo.items;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.CharBuffer;
import java.util.Map;
import org.apiguardian.api.API;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The size of an item as DynamoDB counts it for the 400 KB item limit and for capacity units:
 * attribute names and strings in UTF-8 bytes, numbers about one byte per two significant digits
 * plus one, binary by length, BOOL and NULL one byte, lists and maps three bytes plus one per
 * element. Used for batch sizes, "MB copied" and capacity estimates, never for correctness.
 */
@API(status = INTERNAL, since = "0.1")
public final class ItemSize {
    /** DynamoDB: a write unit covers 1 KB of item. */
    public static final long WRITE_UNIT_BYTES = 1024;
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
        return Math.max(1, (itemBytes + WRITE_UNIT_BYTES - 1) / WRITE_UNIT_BYTES);
    }

    public static long of(AttributeValue value) {
        // Plain loops, no streams: this runs for every attribute of every item copied.
        switch (value.type()) {
            case S:
                return utf8Length(value.s());
            case N:
                return numberLength(value.n());
            case B:
                return value.b().asByteArrayUnsafe().length;
            case BOOL:
            case NUL:
                return 1;
            case SS: {
                long size = 0;
                for (String element : value.ss()) {
                    size += utf8Length(element);
                }
                return size;
            }
            case NS: {
                long size = 0;
                for (String element : value.ns()) {
                    size += numberLength(element);
                }
                return size;
            }
            case BS: {
                long size = 0;
                for (SdkBytes element : value.bs()) {
                    size += element.asByteArrayUnsafe().length;
                }
                return size;
            }
            case L: {
                long size = 3;
                for (AttributeValue element : value.l()) {
                    size += 1 + of(element);
                }
                return size;
            }
            case M: {
                long size = 3;
                for (Map.Entry<String, AttributeValue> entry : value.m().entrySet()) {
                    size += 1 + utf8Length(entry.getKey()) + of(entry.getValue());
                }
                return size;
            }
            default:
                return 0;
        }
    }

    public static long numberLength(String number) {
        return numberLength((CharSequence) number);
    }

    /** {@link #numberLength(String)} of {@code length} chars from {@code offset} (a JSON parser's text buffer). */
    static long numberLength(char[] chars, int offset, int length) {
        return numberLength(CharBuffer.wrap(chars, offset, length));
    }

    private static long numberLength(CharSequence number) {
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

    public static long utf8Length(String text) {
        return utf8Length((CharSequence) text);
    }

    /** {@link #utf8Length(String)} of {@code length} chars from {@code offset} (a JSON parser's text buffer). */
    static long utf8Length(char[] chars, int offset, int length) {
        return utf8Length(CharBuffer.wrap(chars, offset, length));
    }

    private static long utf8Length(CharSequence text) {
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
