package dev.dynamo.copy;

import dev.dynamo.items.PrivateFiles;
import dev.dynamo.table.KeySchema;
import dev.dynamo.verify.TableComparison;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A file of primary keys, as a copy by difference saves them between comparing and acting: each key
 * as {@link TableComparison#encodeKey} encodes it, preceded by its length in two bytes. Private
 * (0600, never through a link). Written by one thread, then read chunk by chunk: chunk {@code i}
 * holds keys {@code [i * keysPerChunk, (i + 1) * keysPerChunk)}, so a chunk is a unit of work whose
 * completion a checkpoint can record.
 */
final class KeyFile {
    private KeyFile() {
    }

    /**
     * Appends keys to a new file, and digests what it writes (SHA-256), so that a resume can tell the file is the one the
     * comparison wrote before it acts on a key of it. Not thread-safe.
     */
    static final class Writer implements Closeable {
        private final FileChannel channel;
        private final OutputStream out;
        private final MessageDigest digest = sha256();
        private long count;

        Writer(Path file) throws IOException {
            Files.deleteIfExists(file);
            channel = PrivateFiles.open(file, true);
            out = new BufferedOutputStream(new DigestOutputStream(Channels.newOutputStream(channel), digest), 64 * 1024);
        }

        void append(byte[] key, int offset, int length) throws IOException {
            out.write(length >>> 8);
            out.write(length);
            out.write(key, offset, length);
            count++;
        }

        long count() {
            return count;
        }

        /** The SHA-256 of the file, in hex; call after {@link #close}. */
        String sha256Hex() {
            return HexFormat.of().formatHex(digest.digest());
        }

        /** Flushes the keys to disk (fsync) and closes the file; once. */
        @Override
        public void close() throws IOException {
            if (!channel.isOpen()) {
                return;
            }
            out.flush();
            channel.force(true);
            out.close();
        }
    }

    /**
     * Checks that {@code file} is the key file the comparison wrote: exactly {@code keys} keys, and the SHA-256 it had.
     *
     * @throws IOException naming what differs
     */
    static void check(Path file, long keys, String sha256Hex) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Channels.newInputStream(PrivateFiles.open(file, false)), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(sha256Hex)) {
            throw new IOException("the key file " + file + " is not the one the comparison wrote (SHA-256 " + actual
                    + ", the checkpoint says " + sha256Hex + ")");
        }
        chunkOffsets(file, keys, Integer.MAX_VALUE);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The byte offset where each chunk of {@code keysPerChunk} keys begins; one pass over the file. */
    static long[] chunkOffsets(Path file, long keys, int keysPerChunk) throws IOException {
        int chunks = (int) ((keys + keysPerChunk - 1) / keysPerChunk);
        long[] offsets = new long[chunks];
        try (DataInputStream in = open(file)) {
            long offset = 0;
            for (long key = 0; key < keys; key++) {
                if (key % keysPerChunk == 0) {
                    offsets[(int) (key / keysPerChunk)] = offset;
                }
                int length = in.readUnsignedShort();
                in.skipNBytes(length);
                offset += 2 + length;
            }
            if (in.read() != -1) {
                throw new IOException("the key file " + file + " holds more than the " + keys + " keys the checkpoint counts");
            }
        } catch (EOFException e) {
            throw new IOException("the key file " + file + " holds fewer than the " + keys + " keys the checkpoint counts", e);
        }
        return offsets;
    }

    /** The keys of one chunk, as key attributes. */
    static List<Map<String, AttributeValue>> readChunk(Path file, long offset, long count, KeySchema keys) throws IOException {
        List<Map<String, AttributeValue>> chunk = new ArrayList<>((int) count);
        try (DataInputStream in = open(file)) {
            in.skipNBytes(offset);
            byte[] key = new byte[2];
            for (long i = 0; i < count; i++) {
                int length = in.readUnsignedShort();
                if (key.length < length) {
                    key = new byte[length];
                }
                in.readFully(key, 0, length);
                chunk.add(TableComparison.decodeKey(keys, key, 0, length));
            }
        } catch (EOFException e) {
            throw new IOException("the key file " + file + " ends inside a chunk", e);
        } catch (RuntimeException e) {
            throw new IOException("the key file " + file + " holds a key that is not one of the table's (" + e.getMessage() + ")", e);
        }
        return chunk;
    }

    /** Calls {@code each} with every key of the file, as its encoded bytes. */
    static void forEach(Path file, long keys, KeyBytes each) throws IOException {
        try (DataInputStream in = open(file)) {
            byte[] key = new byte[64];
            for (long i = 0; i < keys; i++) {
                int length = in.readUnsignedShort();
                if (key.length < length) {
                    key = new byte[length];
                }
                in.readFully(key, 0, length);
                each.accept(key, length);
            }
        }
    }

    /** Receives one encoded key: {@code key[0, length)}. */
    @FunctionalInterface
    interface KeyBytes {
        void accept(byte[] key, int length);
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = Channels.newInputStream(PrivateFiles.open(file, false));
        return new DataInputStream(new BufferedInputStream(in, 64 * 1024));
    }
}
