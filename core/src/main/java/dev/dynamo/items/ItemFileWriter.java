package dev.dynamo.items;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes items to a gzip file of DynamoDB JSON lines, one item per line, in the shape of
 * DynamoDB's own export to S3 (so the file can also be given to DynamoDB's import from S3):
 * <pre>
 * {"Item":{"pk":{"S":"customer#42"},"sk":{"N":"7"},"total":{"N":"12.50"},"tags":{"SS":["a","b"]}}}
 * </pre>
 * Every type is kept exactly (numbers as their digits, binary as base64). {@link ItemFileReader}
 * reads it back.
 *
 * <p>The items go to {@code FILE.partial} first; {@link #commit} closes it and renames it to the
 * final name, so a file under the final name is always complete. Thread-safe (writes are serialised).
 */
@API(status = INTERNAL, since = "0.1")
public final class ItemFileWriter implements Closeable {
    public static final String PARTIAL_SUFFIX = ".partial";
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final Path partial;
    private final List<String> keyNames;
    private final OutputStream out;
    private final JsonGenerator json;
    private long count;
    private boolean closed;

    private ItemFileWriter(Path file, List<String> keyNames) throws IOException {
        this.file = file;
        this.partial = file.resolveSibling(file.getFileName() + PARTIAL_SUFFIX);
        this.keyNames = List.copyOf(keyNames);
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        // Private (0600), new (never an existing file or a link planted at the path), and on disk before it is closed.
        FileChannel channel = PrivateFiles.open(partial, true);
        OutputStream synced = new FilterOutputStream(Channels.newOutputStream(channel)) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }

            @Override
            public void close() throws IOException {
                try (channel) {
                    flush();
                    channel.force(true);
                }
            }
        };
        this.out = new BufferedOutputStream(new GZIPOutputStream(synced, 1 << 16), 1 << 16);
        this.json = JSON.createGenerator(out, JsonEncoding.UTF8)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .setPrettyPrinter(new MinimalPrettyPrinter(""));
    }

    /**
     * Starts a new file; it must not exist yet.
     *
     * @param keyNames attribute names written first on each line (the table's keys), for readability
     * @throws UncheckedIOException when the file exists or cannot be created
     */
    public static ItemFileWriter create(Path file, List<String> keyNames) {
        try {
            return new ItemFileWriter(file, keyNames);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized void write(Map<String, AttributeValue> item) {
        try {
            json.writeStartObject();
            json.writeFieldName("Item");
            DynamoJson.writeItem(json, item, keyNames);
            json.writeEndObject();
            json.flush();
            out.write('\n');
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + partial + ": " + e.getMessage(), e);
        }
    }

    /** Items written so far. */
    public synchronized long count() {
        return count;
    }

    /** The final name of the file. */
    Path file() {
        return file;
    }

    /** Finishes the gzip stream, flushes it to disk and gives the file its final name. */
    public synchronized Path commit() {
        try {
            close();
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file);
            }
            // The file's bytes were flushed when it closed; its new name is durable once the directory is flushed too.
            PrivateFiles.syncDirectory(file.toAbsolutePath().getParent());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + file + ": " + e.getMessage(), e);
        }
    }

    /** Closes without committing: the {@code .partial} file stays, marked incomplete by its name. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            json.close();
        } finally {
            out.close();
        }
    }
}
