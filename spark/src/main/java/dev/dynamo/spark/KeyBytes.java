package dev.dynamo.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A primary key as the bytes core's comparison encodes it ({@code TableComparison.encodeKey}): equal exactly when
 * DynamoDB sees equal keys. The key of the digest join's shuffle: its hash is the same in every JVM (the bytes'
 * {@link Arrays#hashCode}), so a key goes to the same partition from both tables' scans.
 */
final class KeyBytes implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] bytes;

    KeyBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyBytes key && Arrays.equals(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
