package dev.dynamo.transfer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.dynamo.items.DynamoJson;
import dev.dynamo.items.ExportFormat;
import dev.dynamo.items.ExportManifest;
import dev.dynamo.items.IonItemWriter;
import dev.dynamo.items.RawItems;
import dev.dynamo.store.ExportStore;
import dev.dynamo.store.StoredObject;
import dev.dynamo.store.StoredOutput;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One data file being written: items as lines of DynamoDB JSON ({@code {"Item":{...}}}) or Ion
 * ({@code $ion_1_0 {Item:{...}}}), gzip, with the MD5 of the stored bytes computed on the way for the manifest. Its bytes
 * become visible under its name only at {@link #commit}; {@link #abort} leaves nothing. Used by one thread.
 */
final class DataFileOutput {
    private static final byte[] ITEM_OPEN = "{\"Item\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ITEM_CLOSE = "}\n".getBytes(StandardCharsets.US_ASCII);

    private final String name;
    private final String key;
    private final StoredOutput stored;
    private final MessageDigest md5;
    private final GZIPOutputStream gzip;
    private final CountingStream counted;
    /** Counts the bytes as stored (after gzip). */
    private final CountingStream storedCount;
    private final OutputStream out;
    private final List<String> keyNames;
    private final JsonGenerator json;
    private final IonItemWriter ion;
    private long items;

    /** Counts the bytes of items written (before gzip): what the size limit is measured in. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }

    /**
     * Starts a data file.
     *
     * @param name its name in the export's folder ({@code data/s00000-00000.json.gz})
     * @param key  its key from the bucket's root, for the manifest
     */
    DataFileOutput(ExportStore store, String folder, String name, String key, ExportFormat format, List<String> keyNames) {
        this.name = name;
        this.key = key;
        this.keyNames = keyNames;
        this.stored = store.create(folder + name);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
            this.storedCount = new CountingStream(stored.stream());
            this.gzip = new GZIPOutputStream(new DigestOutputStream(storedCount, md5), 1 << 16);
            this.counted = new CountingStream(new BufferedOutputStream(gzip, 1 << 16));
            this.out = counted;
            if (format == ExportFormat.ION) {
                this.ion = new IonItemWriter(out);
                this.json = null;
            } else {
                this.ion = null;
                this.json = DynamoJson.FACTORY.createGenerator(out, JsonEncoding.UTF8)
                        .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).setPrettyPrinter(new MinimalPrettyPrinter(""));
            }
        } catch (IOException e) {
            stored.abort();
            throw new UncheckedIOException("cannot write " + store.locationOf(folder + name) + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            stored.abort();
            throw new IllegalStateException("every Java has MD5", e);
        }
    }

    String name() {
        return name;
    }

    long items() {
        return items;
    }

    /** Bytes of items written so far, before gzip. */
    long bytes() {
        return counted.count;
    }

    /** Bytes as stored (gzip), once committed. */
    long storedBytes() {
        return storedCount.count;
    }

    void write(Map<String, AttributeValue> item) throws IOException {
        if (ion != null) {
            ion.write(item);
        } else {
            json.writeStartObject();
            json.writeFieldName("Item");
            DynamoJson.writeItem(json, item, keyNames);
            json.writeEndObject();
            json.flush();
            out.write('\n');
        }
        items++;
    }

    /** Writes item {@code i} of a raw page: in DynamoDB JSON, its bytes exactly as DynamoDB sent them. */
    void write(RawItems page, int i) throws IOException {
        if (ion != null) {
            ion.write(page.get(i));
        } else {
            out.write(ITEM_OPEN);
            page.writeItem(i, out);
            out.write(ITEM_CLOSE);
        }
        items++;
    }

    /** Finishes the file and makes it visible under its name; returns its manifest line. */
    ExportManifest.DataFile commit() throws IOException {
        if (ion != null) {
            ion.close();
        } else {
            json.close();
        }
        out.flush();
        gzip.finish();
        gzip.flush();
        byte[] digest = md5.digest();
        StoredObject object = stored.commit();
        String etag = object.etag() != null ? object.etag() : HexFormat.of().formatHex(digest);
        return new ExportManifest.DataFile(name, items, Base64.getEncoder().encodeToString(digest), etag, key);
    }

    /** Discards the file. Never throws. */
    void abort() {
        try {
            stored.abort();
        } catch (RuntimeException e) {
            // what is left is a temporary object that no manifest names
        }
    }
}
