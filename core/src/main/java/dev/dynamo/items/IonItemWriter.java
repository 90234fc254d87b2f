package dev.dynamo.items;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.amazon.ion.IonType;
import com.amazon.ion.IonWriter;
import com.amazon.ion.system.IonTextWriterBuilder;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes items as the lines of an Ion export data file, one item per line, each its own Ion document
 * (so a line can be read alone), its attributes in name order:
 * <pre>
 * $ion_1_0 {Item:{Authors:$dynamodb_SS::["Author1","Author2"],Id:103.,Price:1.50,Title:"Book 103 Title"}}
 * </pre>
 * Types map as {@link DynamoIon} says; numbers keep their digits and scale. The caller adds gzip.
 *
 * <p>{@link #close} flushes what is buffered to {@code out} but does <b>not</b> close {@code out}: the
 * caller owns it (and finishes the gzip stream around it). Not thread-safe.
 */
@API(status = INTERNAL, since = "0.1")
public final class IonItemWriter implements Closeable {
    private static final int BUFFER_BYTES = 1 << 16;
    private static final byte[] VERSION_MARKER = "$ion_1_0 ".getBytes(StandardCharsets.US_ASCII);
    /** Immutable and thread-safe: one for all writers. UTF-8 keeps non-ASCII text as it is; no long strings ('''), so no raw newline. */
    private static final IonTextWriterBuilder TEXT = IonTextWriterBuilder.standard()
            .withCharset(IonTextWriterBuilder.UTF8)
            .withLongStringThreshold(0)
            .immutable();

    private final OutputStream out;
    private final Line line = new Line();
    private IonWriter ion;
    private boolean closed;

    /** A byte buffer the Ion writer fills with one line; its flush does nothing, so flushing the writer stays cheap. */
    private static final class Line extends ByteArrayOutputStream {
        Line() {
            super(1024);
        }

        @Override
        public void flush() {
        }

        void skipLeadingSpaceTo(OutputStream target) throws IOException {
            int start = 0;
            while (start < count && (buf[start] == ' ' || buf[start] == '\n')) {
                start++;
            }
            target.write(buf, start, count - start);
        }
    }

    /** @param out where the lines go; buffered here, and left open by {@link #close}. */
    public IonItemWriter(OutputStream out) {
        this.out = new BufferedOutputStream(out, BUFFER_BYTES);
        // One text writer for all the lines (building one per item is what would make a million items slow).
        this.ion = TEXT.build(line);
    }

    /**
     * Writes one item as one line.
     *
     * @throws IllegalArgumentException for an item DynamoDB could not hold (an empty set, an N that is no number);
     *                                  nothing of it is written
     * @throws UncheckedIOException     when {@code out} fails
     */
    public void write(Map<String, AttributeValue> item) {
        if (closed) {
            throw new IllegalStateException("the Ion item writer is closed");
        }
        try {
            line.reset();
            ion.stepIn(IonType.STRUCT);
            ion.setFieldName("Item");
            DynamoIon.writeItem(ion, item);
            ion.stepOut();
            ion.flush();
            out.write(VERSION_MARKER);
            // The text writer separates top-level values; each line is its own document, so that separator goes.
            line.skipLeadingSpaceTo(out);
            out.write('\n');
        } catch (IllegalArgumentException e) {
            abandonLine();
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an Ion item: " + e.getMessage(), e);
        }
    }

    private void abandonLine() {
        // The Ion writer is stuck inside the half-written item: drop it and what it wrote (a rare path).
        try {
            ion.close();
        } catch (IOException | RuntimeException e) {
            // it is replaced anyway
        }
        line.reset();
        ion = TEXT.build(line);
    }

    /** Flushes the lines written so far to {@code out}, and flushes {@code out}. */
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Ion items: " + e.getMessage(), e);
        }
    }

    /** Flushes (see {@link #flush}); leaves {@code out} open. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            flush();
        }
    }
}
