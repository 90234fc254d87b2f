package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.dynamo.items.DynamoJson;
import dev.dynamo.items.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where items that could not be written end up, so none is ever dropped silently: plain (not gzip)
 * DynamoDB JSON lines, appended as failures happen, each line whole or not at all: a line that
 * cannot be written whole (a full disk) is cut back off and the write's own error reported, and a
 * line cut by a crash is cut off when the file is next opened (its request was never acknowledged,
 * so a resumed copy sends it again). The file is private (0600, see {@link PrivateFiles}), never
 * written through a link, and flushed to disk when it is closed. A failed put keeps the whole item, in the backup format (so the file
 * can be imported again once the cause is fixed); a failed delete keeps the key:
 * <pre>
 * {"Item":{"pk":{"S":"a"},"n":{"N":"1"}},"Operation":"PUT","Error":"ValidationException: Type mismatch for Index Key"}
 * {"Key":{"pk":{"S":"b"}},"Operation":"DELETE","Error":"ProvisionedThroughputExceededException: still throttled after 10 retries"}
 * </pre>
 * The file is created on the first failure only. Thread-safe: lines from concurrent writers never interleave.
 */
@API(status = INTERNAL, since = "0.1")
public final class DeadLetterFile implements AutoCloseable {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    static final String SUFFIX = ".failed.jsonl";

    /** The plan's dead-letter file, or {@code BACKUP_DIR/TARGET-yyyyMMdd-HHmmss.failed.jsonl}; absolute. */
    static Path defaultPath(CopyPlan plan, LocalDateTime now) {
        Path file = plan.deadLetterFile() != null ? plan.deadLetterFile()
                : plan.backupDirectory().resolve(CopyCheckpoint.shortened(plan.targetTable()) + "-" + STAMP.format(now) + SUFFIX);
        return file.toAbsolutePath().normalize();
    }

    private static final JsonFactory JSON = new JsonFactory();

    /** The kind of request that failed. */
    public enum Operation { PUT, DELETE }

    private final Path file;
    private final List<String> keyNames;
    private FileChannel channel;
    private long count;

    public DeadLetterFile(Path file, List<String> keyNames) {
        this.file = file;
        this.keyNames = List.copyOf(keyNames);
    }

    public Path file() {
        return file;
    }

    /** Items appended so far. */
    public synchronized long count() {
        return count;
    }

    public synchronized void append(Operation operation, Map<String, AttributeValue> itemOrKey, String error) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        try (JsonGenerator json = JSON.createGenerator(line, JsonEncoding.UTF8).setPrettyPrinter(new MinimalPrettyPrinter(""))) {
            json.writeStartObject();
            json.writeFieldName(operation == Operation.PUT ? "Item" : "Key");
            DynamoJson.writeItem(json, itemOrKey, keyNames);
            json.writeStringField("Operation", operation.name());
            json.writeStringField("Error", error);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a dead-letter line: " + e.getMessage(), e);
        }
        line.write('\n');
        try {
            if (channel == null) {
                channel = open();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the dead-letter file " + file + ": " + CopyCheckpoint.describe(e), e);
        }
        long before = -1;
        try {
            before = channel.size();
            ByteBuffer bytes = ByteBuffer.wrap(line.toByteArray());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            count++;
        } catch (IOException e) {
            // Cut back to the last whole line, so that the file never holds half an item; the error is the write's own.
            if (before >= 0) {
                try {
                    channel.truncate(before);
                } catch (IOException ignored) {
                    // the write's error is the one to report
                }
            }
            throw new UncheckedIOException("cannot append to the dead-letter file " + file + ": " + CopyCheckpoint.describe(e), e);
        }
    }

    /** Opens (or creates, 0600) the file for appending, and cuts off a last line that a crash left unfinished. */
    private FileChannel open() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            PrivateFiles.createDirectories(parent);
        }
        FileChannel opened = PrivateFiles.open(file, false);
        try {
            long size = opened.size();
            long whole = size;
            ByteBuffer block = ByteBuffer.allocate(1 << 16);
            search:
            while (whole > 0) {
                long from = Math.max(0, whole - block.capacity());
                block.clear().limit((int) (whole - from));
                while (block.hasRemaining() && opened.read(block, from + block.position()) > 0) {
                    // read the whole block
                }
                for (int i = block.position() - 1; i >= 0; i--, whole--) {
                    if (block.get(i) == '\n') {
                        break search;
                    }
                }
                whole = from;
            }
            if (whole < size) {
                opened.truncate(whole);
            }
            opened.position(whole);
            return opened;
        } catch (IOException e) {
            opened.close();
            throw e;
        }
    }

    /** Flushes the file to disk and closes it. */
    @Override
    public synchronized void close() {
        if (channel == null) {
            return;
        }
        try (FileChannel closing = channel) {
            channel = null;
            closing.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush the dead-letter file " + file + " to disk: " + CopyCheckpoint.describe(e), e);
        }
    }
}
