package dev.dynamo.verify;

import dev.dynamo.table.AttributeValues;
import dev.dynamo.table.ItemDigest;
import dev.dynamo.table.KeyAttribute;
import dev.dynamo.table.KeySchema;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A primary key as bytes, for the bucket files of a verification: equal bytes exactly when
 * DynamoDB sees equal keys (numbers in their normal form), decodable back into the key for the
 * report, and hashed to spread keys over buckets. Each key attribute, partition key first, is its
 * type's tag (S, N or B), a two-byte length and its UTF-8 or binary content; a key is at most
 * 2,048 + 1,024 bytes, so it always fits.
 */
final class VerifyKey {
    /** The seed of the hash that places records in the slots of a bucket's in-memory index. */
    static final int INDEX_LEVEL = 1000;

    private VerifyKey() {
    }

    /** The item's key as bytes. */
    static byte[] encode(KeySchema keys, Map<String, AttributeValue> item) {
        byte[][] parts = new byte[2][];
        char[] tags = new char[2];
        int length = 0;
        for (int i = 0; i < keys.attributes().size(); i++) {
            KeyAttribute attribute = keys.attributes().get(i);
            AttributeValue value = item.get(attribute.name());
            if (value == null) {
                throw new IllegalStateException("an item read has no key attribute '" + attribute.name() + "'");
            }
            tags[i] = value.type().name().charAt(0);
            parts[i] = switch (value.type()) {
                case S -> value.s().getBytes(StandardCharsets.UTF_8);
                case N -> ItemDigest.canonicalNumber(value.n()).getBytes(StandardCharsets.US_ASCII);
                case B -> value.b().asByteArrayUnsafe();
                default -> throw new IllegalStateException("key attribute '" + attribute.name() + "' has type " + value.type());
            };
            length += 3 + parts[i].length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (int i = 0; i < keys.attributes().size(); i++) {
            out[at++] = (byte) tags[i];
            out[at++] = (byte) (parts[i].length >>> 8);
            out[at++] = (byte) parts[i].length;
            System.arraycopy(parts[i], 0, out, at, parts[i].length);
            at += parts[i].length;
        }
        return out;
    }

    /** The key that {@link #encode} turned into {@code bytes[offset, offset + length)}. */
    static Map<String, AttributeValue> decode(KeySchema keys, byte[] bytes, int offset, int length) {
        Map<String, AttributeValue> key = new HashMap<>(4);
        int at = offset;
        for (KeyAttribute attribute : keys.attributes()) {
            char tag = (char) bytes[at];
            int size = ((bytes[at + 1] & 0xFF) << 8) | (bytes[at + 2] & 0xFF);
            at += 3;
            AttributeValue value = switch (tag) {
                case 'S' -> AttributeValue.fromS(new String(bytes, at, size, StandardCharsets.UTF_8));
                case 'N' -> AttributeValue.fromN(new String(bytes, at, size, StandardCharsets.US_ASCII));
                case 'B' -> AttributeValue.fromB(SdkBytes.fromByteArray(Arrays.copyOfRange(bytes, at, at + size)));
                default -> throw new IllegalStateException("not a key encoding: tag " + (int) tag);
            };
            key.put(attribute.name(), value);
            at += size;
        }
        if (at != offset + length) {
            throw new IllegalStateException("not a key encoding: " + (at - offset) + " bytes decoded of " + length);
        }
        return key;
    }

    /** A 64-bit hash of the key bytes (FNV-1a); {@link #slot} mixes it per use. */
    static long hash(byte[] bytes, int offset, int length) {
        long hash = 0xcbf29ce484222325L;
        for (int i = offset; i < offset + length; i++) {
            hash ^= bytes[i] & 0xFF;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /**
     * Which of {@code slots} a key with this hash goes to, at a nesting {@code level}: a different
     * level mixes the hash differently (splitmix64 with a per-level offset), so the keys of one
     * oversized bucket spread over all the buckets it is split into.
     */
    static int slot(long hash, int level, int slots) {
        long z = hash + (level + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) Math.floorMod(z, (long) slots);
    }

    /** DynamoDB's order of keys: partition key, then sort key, each by its type's order. */
    static Comparator<Map<String, AttributeValue>> order(KeySchema keys) {
        Comparator<Map<String, AttributeValue>> order = Comparator.comparing(key -> key.get(keys.partitionKey().name()),
                AttributeValues.ORDER);
        if (keys.hasSortKey()) {
            order = order.thenComparing(key -> key.get(keys.sortKey().name()), AttributeValues.ORDER);
        }
        return order;
    }
}
