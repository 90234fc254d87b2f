package dev.dynamo.verify;

import dev.dynamo.table.ItemDigest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The bucket files of one side of a verification. A record is a key (as {@link VerifyKey} encodes
 * it) and the item's {@link ItemDigest}: two bytes of key length, the key, 16 bytes of digest. Each
 * record goes to the bucket its key hashes to, so a key has the same bucket on both sides.
 * A bucket's file is created with its first record: empty buckets cost nothing.
 *
 * <p>Concurrency contract: {@link #append} may be called from any number of threads; appends to one
 * bucket are serialised by that bucket's lock (a record is never split), different buckets are
 * written in parallel. {@link #close} is called once, after the last append.
 */
final class VerifySpool implements Closeable {
    /** The write buffer of each bucket file: with at most {@link TableVerifier#MAX_BUCKETS} per side, a few MB. */
    static final int WRITE_BUFFER_BYTES = 8 * 1024;
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final Path directory;
    private final String name;
    private final OutputStream[] streams;
    private final long[] sizes;
    private final Object[] locks;

    /**
     * @param directory where the files go
     * @param name      names the files: {@code NAME-0}, {@code NAME-1}, ...
     * @param buckets   how many buckets
     */
    VerifySpool(Path directory, String name, int buckets) {
        this.directory = directory;
        this.name = name;
        this.streams = new OutputStream[buckets];
        this.sizes = new long[buckets];
        this.locks = new Object[buckets];
        for (int i = 0; i < buckets; i++) {
            locks[i] = new Object();
        }
    }

    int buckets() {
        return streams.length;
    }

    /** The file of a bucket; it exists only once a record went there. */
    Path file(int bucket) {
        return directory.resolve(name + "-" + bucket);
    }

    /** Appends whole records (made by {@link Records}) to a bucket. */
    void append(int bucket, byte[] records, int offset, int length) throws IOException {
        synchronized (locks[bucket]) {
            if (streams[bucket] == null) {
                streams[bucket] = new BufferedOutputStream(Files.newOutputStream(file(bucket)), WRITE_BUFFER_BYTES);
            }
            streams[bucket].write(records, offset, length);
            sizes[bucket] += length;
        }
    }

    /** Bytes appended to a bucket. */
    long size(int bucket) {
        synchronized (locks[bucket]) {
            return sizes[bucket];
        }
    }

    /** Flushes and closes every bucket file; the first failure is thrown after all were tried. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (int i = 0; i < streams.length; i++) {
            synchronized (locks[i]) {
                if (streams[i] != null) {
                    try {
                        streams[i].close();
                    } catch (IOException e) {
                        if (failure == null) {
                            failure = e;
                        } else {
                            failure.addSuppressed(e);
                        }
                    }
                    streams[i] = null;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Records for one bucket, collected in memory before one {@link #append}. Used by one thread. */
    static final class Records {
        private byte[] bytes = new byte[256];
        private int length;

        void add(byte[] key, int keyOffset, int keyLength, byte[] digest, int digestOffset) {
            int size = 2 + keyLength + ItemDigest.BYTES;
            if (length + size > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + size));
            }
            bytes[length++] = (byte) (keyLength >>> 8);
            bytes[length++] = (byte) keyLength;
            System.arraycopy(key, keyOffset, bytes, length, keyLength);
            length += keyLength;
            System.arraycopy(digest, digestOffset, bytes, length, ItemDigest.BYTES);
            length += ItemDigest.BYTES;
        }

        boolean isEmpty() {
            return length == 0;
        }

        void appendTo(VerifySpool spool, int bucket) throws IOException {
            spool.append(bucket, bytes, 0, length);
            length = 0;
        }
    }

    /** Reads the records of a bucket file one by one; {@link #key} and {@link #digest} are reused. */
    static final class Reader implements Closeable {
        /** The current record's key is {@code key[0, keyLength)}. */
        final byte[] key = new byte[0xFFFF];
        int keyLength;
        /** The current record's digest. */
        final byte[] digest = new byte[ItemDigest.BYTES];
        private final DataInputStream in;

        /** A reader of {@code file}; a file that does not exist reads as empty. */
        Reader(Path file) throws IOException {
            this.in = Files.exists(file) ? new DataInputStream(new BufferedInputStream(Files.newInputStream(file), READ_BUFFER_BYTES))
                    : null;
        }

        /** Reads the next record; false at the end. */
        boolean next() throws IOException {
            if (in == null) {
                return false;
            }
            int high = in.read();
            if (high < 0) {
                return false;
            }
            try {
                keyLength = (high << 8) | in.readUnsignedByte();
                in.readFully(key, 0, keyLength);
                in.readFully(digest);
            } catch (EOFException e) {
                throw new IOException("a verification bucket file ends inside a record", e);
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }
}
