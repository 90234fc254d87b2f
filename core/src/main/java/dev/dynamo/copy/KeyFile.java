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
import java.util.ArrayList;
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

    /** Appends keys to a new file. Not thread-safe. */
    static final class Writer implements Closeable {
        private final FileChannel channel;
        private final OutputStream out;
        private long count;

        Writer(Path file) throws IOException {
            Files.deleteIfExists(file);
            channel = PrivateFiles.open(file, true);
            out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
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

        /** Flushes the keys to disk (fsync) and closes the file. */
        @Override
        public void close() throws IOException {
            out.flush();
            channel.force(true);
            out.close();
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
