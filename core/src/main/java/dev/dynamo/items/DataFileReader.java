package dev.dynamo.items;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.amazon.ion.IonException;
import com.amazon.ion.IonReader;
import com.amazon.ion.IonType;
import com.amazon.ion.system.IonReaderBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.dynamo.DynamoException;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the lines of one data file of DynamoDB's export to S3, in either format, gzip or plain (told
 * apart by the gzip magic bytes, not by the name). Each line is one {@link ExportRecord}:
 * <pre>
 * {"Item":{"pk":{"S":"a"},"n":{"N":"1.50"}}}
 * {"Metadata":{"WriteTimestampMicros":{"N":"1680109764000000"}},"Keys":{"pk":{"S":"a"}},"NewImage":{...},"OldImage":{...}}
 * $ion_1_0 {Item:{pk:"a",n:1.50}}
 * $ion_1_0 {Metadata:{WriteTimestampMicros:1680109764000000},Keys:{pk:"a"},OldImage:{pk:"a"}}
 * </pre>
 * Items are read as {@link DynamoJson} and {@link DynamoIon} say (strictly: anything DynamoDB would not
 * hold, or that could be read two ways, is refused). Fields of a line other than {@code Item},
 * {@code Keys}, {@code NewImage}, {@code OldImage} and {@code Metadata} are ignored, so a field AWS adds
 * later does not stop an import. Blank lines are skipped; text must be UTF-8 (a byte that is not is an
 * error, never a replacement character).
 *
 * <p>Anything malformed is a {@link DynamoException#usage} naming the file and line:
 * {@code s3://b/p/AWSDynamoDB/x/data/abc.json.gz line 7: Item.price: 'abc' is not a number}. A gzip
 * stream that is cut short or corrupt is one too, never a quiet end of the file. Not thread-safe.
 */
@API(status = INTERNAL, since = "0.1")
public final class DataFileReader implements Closeable {
    /** A line longer than this is not an export's (an item is at most 400 KB, a line two images of one). */
    static final int MAX_LINE_BYTES = 16 << 20;
    private static final int BUFFER_BYTES = 1 << 16;
    private static final IonReaderBuilder ION = IonReaderBuilder.standard().immutable();

    private final InputStream in;
    private final String name;
    private final ExportFormat format;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] chunk = new byte[BUFFER_BYTES];
    private int position;
    private int limit;
    private byte[] line = new byte[8192];
    private int lineLength;
    private long lineNumber;

    private DataFileReader(InputStream in, String name, ExportFormat format) {
        this.in = in;
        this.name = name;
        this.format = format;
    }

    /**
     * Opens a data file; reads its first bytes to tell gzip from plain text.
     *
     * @param in     the file's bytes; closed by {@link #close}
     * @param name   the file's name or location, used in messages ({@code s3://b/p/AWSDynamoDB/x/data/abc.json.gz line 7: ...})
     * @param format what the lines are
     * @throws DynamoException      (usage) for a zstd file, which DynamoDB's export never writes
     * @throws UncheckedIOException when the first bytes cannot be read
     */
    public static DataFileReader open(InputStream in, String name, ExportFormat format) {
        try {
            BufferedInputStream buffered = new BufferedInputStream(in, BUFFER_BYTES);
            buffered.mark(4);
            int[] magic = new int[4];
            for (int i = 0; i < magic.length; i++) {
                magic[i] = buffered.read();
            }
            buffered.reset();
            if (magic[0] == 0x1f && magic[1] == 0x8b) {
                return new DataFileReader(new GZIPInputStream(buffered, BUFFER_BYTES), name, format);
            }
            if (magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd) {
                throw DynamoException.usage(name + " is zstd-compressed; dynamo reads export data files that are gzip or plain");
            }
            return new DataFileReader(buffered, name, format);
        } catch (ZipException | EOFException e) {
            throw DynamoException.usage(name + ": the gzip data is corrupt (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The next record, or null at the end of the file. Blank lines are skipped.
     *
     * @throws DynamoException      (usage) {@code name line N: problem} for a malformed line or corrupt gzip data
     * @throws UncheckedIOException when the stream fails
     */
    public ExportRecord next() {
        try {
            while (readLine()) {
                String text = decode();
                if (text.isBlank()) {
                    continue;
                }
                ExportRecord record = format == ExportFormat.ION ? ionRecord(text) : jsonRecord(text);
                if (record != null) {
                    return record;
                }
            }
            return null;
        } catch (ZipException | EOFException e) {
            throw DynamoException.usage(name + " line " + lineNumber + ": the gzip data is corrupt or cut short ("
                    + e.getMessage() + "); the file is incomplete");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " at line " + lineNumber + ": " + e.getMessage(), e);
        }
    }

    /** The number of the line last read (1 for the first), counting blank lines; 0 before the first. */
    public long lineNumber() {
        return lineNumber;
    }

    /** Reads the next line's bytes, without its end ({@code \n} or {@code \r\n}); false at the end of the file. */
    private boolean readLine() throws IOException {
        lineLength = 0;
        boolean any = false;
        while (true) {
            if (position == limit) {
                int read = in.read(chunk, 0, chunk.length);
                if (read < 0) {
                    if (any) {
                        lineNumber++;
                    }
                    return any;
                }
                position = 0;
                limit = read;
                continue;
            }
            any = true;
            int start = position;
            while (position < limit && chunk[position] != '\n') {
                position++;
            }
            append(start, position - start);
            if (position < limit) {
                position++;
                lineNumber++;
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return true;
            }
        }
    }

    private void append(int start, int length) {
        if (lineLength + length > line.length) {
            if ((long) lineLength + length > MAX_LINE_BYTES) {
                throw DynamoException.usage(name + " line " + (lineNumber + 1) + ": longer than " + (MAX_LINE_BYTES >> 20)
                        + " MiB, which no export data file's line is (is it one?)");
            }
            line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(line.length * 2, lineLength + length)));
        }
        System.arraycopy(chunk, start, line, lineLength, length);
        lineLength += length;
    }

    private String decode() {
        try {
            String text = utf8.decode(ByteBuffer.wrap(line, 0, lineLength)).toString();
            // A byte order mark some editors put first is not part of the data.
            return lineNumber == 1 && text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw malformed("not UTF-8 text (" + e.getMessage() + ")");
        }
    }

    private ExportRecord jsonRecord(String text) throws IOException {
        try (JsonParser parser = DynamoJson.FACTORY.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("expected a JSON object such as {\"Item\":{...}}");
            }
            Parts parts = new Parts();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "Item", "Keys", "NewImage", "OldImage" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw malformed("\"" + field + "\" must be an object of typed attributes");
                        }
                        parts.put(field, DynamoJson.readItem(parser, field));
                    }
                    case "Metadata" -> parts.writeTimestampMicros = jsonMetadata(parser, value);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw malformed("more than one JSON value on the line");
            }
            return parts.record();
        } catch (DynamoJson.Malformed e) {
            throw malformed(e.getMessage());
        } catch (JsonProcessingException e) {
            throw malformed("not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /** The {@code WriteTimestampMicros} of a {@code Metadata} object, as {@code {"N":"…"}} (what DynamoDB writes) or a JSON integer. */
    private long jsonMetadata(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw malformed("\"Metadata\" must be an object such as {\"WriteTimestampMicros\":{\"N\":\"1680109764000000\"}}");
        }
        long micros = -1;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            if (!field.equals("WriteTimestampMicros")) {
                parser.skipChildren();
            } else if (token == JsonToken.VALUE_NUMBER_INT) {
                micros = micros(parser.getBigIntegerValue().toString());
            } else if (token == JsonToken.START_OBJECT && parser.nextToken() == JsonToken.FIELD_NAME
                    && parser.currentName().equals("N") && parser.nextToken() == JsonToken.VALUE_STRING) {
                micros = micros(parser.getText());
                if (parser.nextToken() != JsonToken.END_OBJECT) {
                    throw malformed("Metadata.WriteTimestampMicros must be {\"N\":\"digits\"}");
                }
            } else {
                throw malformed("Metadata.WriteTimestampMicros must be {\"N\":\"digits\"}");
            }
        }
        return micros;
    }

    private ExportRecord ionRecord(String text) {
        try (IonReader reader = ION.build(text)) {
            IonType type = reader.next();
            if (type == null) {
                return null;  // only a version marker or a comment: no record on this line
            }
            if (type != IonType.STRUCT || reader.isNullValue() || reader.getTypeAnnotations().length > 0) {
                throw malformed("expected an Ion struct such as $ion_1_0 {Item:{...}}");
            }
            Parts parts = new Parts();
            Set<String> fields = new HashSet<>();
            reader.stepIn();
            for (IonType value = reader.next(); value != null; value = reader.next()) {
                String field = reader.getFieldName();
                if (!fields.add(field)) {
                    throw malformed("field " + field + " is on the line twice");
                }
                switch (field) {
                    case "Item", "Keys", "NewImage", "OldImage" -> parts.put(field, DynamoIon.readItem(reader, field));
                    case "Metadata" -> parts.writeTimestampMicros = ionMetadata(reader, value);
                    default -> {
                        // ignored, as in DynamoDB JSON
                    }
                }
            }
            reader.stepOut();
            if (reader.next() != null) {
                throw malformed("more than one Ion value on the line");
            }
            return parts.record();
        } catch (DynamoJson.Malformed e) {
            throw malformed(e.getMessage());
        } catch (IonException e) {
            throw malformed("not Ion text (" + DynamoIon.brief(e) + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close an Ion reader of a string", e);
        }
    }

    private long ionMetadata(IonReader reader, IonType type) {
        if (type != IonType.STRUCT || reader.isNullValue()) {
            throw malformed("Metadata must be a struct such as {WriteTimestampMicros:1680109764000000}");
        }
        long micros = -1;
        reader.stepIn();
        for (IonType value = reader.next(); value != null; value = reader.next()) {
            if (!"WriteTimestampMicros".equals(reader.getFieldName())) {
                continue;
            }
            if (reader.isNullValue() || (value != IonType.INT && value != IonType.DECIMAL)) {
                throw malformed("Metadata.WriteTimestampMicros must be an integer such as 1680109764000000");
            }
            micros = micros(value == IonType.INT ? reader.bigIntegerValue().toString() : reader.bigDecimalValue().toPlainString());
        }
        reader.stepOut();
        return micros;
    }

    private long micros(String text) {
        try {
            BigInteger micros = new BigDecimal(text).toBigIntegerExact();
            if (micros.signum() >= 0 && micros.bitLength() < Long.SIZE) {
                return micros.longValue();
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // the message below
        }
        throw malformed("Metadata.WriteTimestampMicros '" + (text.length() <= 40 ? text : text.substring(0, 39) + "…")
                + "' is not a time in microseconds");
    }

    /** The fields of one line, checked together: a full export's line or an incremental export's, never a mix. */
    private final class Parts {
        Map<String, AttributeValue> item;
        Map<String, AttributeValue> keys;
        Map<String, AttributeValue> newImage;
        Map<String, AttributeValue> oldImage;
        long writeTimestampMicros = -1;

        void put(String field, Map<String, AttributeValue> attributes) {
            switch (field) {
                case "Item" -> item = attributes;
                case "Keys" -> keys = attributes;
                case "NewImage" -> newImage = attributes;
                default -> oldImage = attributes;
            }
        }

        ExportRecord record() {
            if (item != null) {
                if (keys != null || newImage != null || oldImage != null) {
                    throw malformed("a line has Item (a full export) or Keys, NewImage and OldImage (an incremental export), not both");
                }
                if (item.isEmpty()) {
                    throw malformed("Item has no attributes (an item has at least its key)");
                }
                return new ExportRecord(item, null, null, writeTimestampMicros);
            }
            if (keys == null) {
                throw malformed(newImage != null || oldImage != null ? "an incremental export's line needs Keys"
                        : "expected Item (a full export's line) or Keys (an incremental export's line)");
            }
            if (keys.isEmpty()) {
                throw malformed("Keys has no attributes");
            }
            matchesKeys(newImage, "NewImage");
            matchesKeys(oldImage, "OldImage");
            return new ExportRecord(newImage, keys, oldImage, writeTimestampMicros);
        }

        /** An image has the line's key values: otherwise it is another item's, and which one the line means is unknown. */
        private void matchesKeys(Map<String, AttributeValue> image, String field) {
            if (image == null) {
                return;
            }
            for (Map.Entry<String, AttributeValue> key : keys.entrySet()) {
                if (!key.getValue().equals(image.get(key.getKey()))) {
                    throw malformed(field + "." + key.getKey() + " is not the line's Keys." + key.getKey()
                            + " (" + (image.containsKey(key.getKey()) ? "another value" : "missing") + ")");
                }
            }
        }
    }

    private DynamoException malformed(String problem) {
        return DynamoException.usage(name + " line " + lineNumber + ": " + problem);
    }

    /** Closes the stream. */
    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + name + ": " + e.getMessage(), e);
        }
    }
}
