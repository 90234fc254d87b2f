package dev.dynamo.transfer;

import dev.dynamo.DynamoException;
import dev.dynamo.items.DataFileReader;
import dev.dynamo.items.ExportManifest;
import dev.dynamo.items.ExportRecord;
import dev.dynamo.items.ItemSize;
import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads one data file of an import into pages for the writers: the items to put, and (an incremental export) the keys to
 * delete, as pages of their own ({@link DeleteKeys}). The file is its own "segment" of the {@link SegmentAcks}: each page
 * is registered with the number of records read up to its end as its resume key ({@code {"record":{"N":"12000"}}}), so
 * a resume skips the records of every acknowledged page and reads the rest again (puts and deletes are idempotent).
 */
final class ImportFile implements PagePipeline.PageProducer {
    /**
     * A page also ends once its items hold this many bytes (DynamoDB's size rules), as a Scan page ends at 1 MB: the
     * pipeline holds a bounded number of pages, so memory stays bounded even for files of 400 KB items.
     */
    static final long MAX_PAGE_BYTES = 1L << 20;

    /** The resume key's one attribute: records of the file read before the position. */
    static final String POSITION = "record";

    /** A page of keys to delete. */
    static final class DeleteKeys extends AbstractList<Map<String, AttributeValue>> implements RandomAccess {
        private final List<Map<String, AttributeValue>> keys;

        DeleteKeys(List<Map<String, AttributeValue>> keys) {
            this.keys = keys;
        }

        @Override
        public Map<String, AttributeValue> get(int index) {
            return keys.get(index);
        }

        @Override
        public int size() {
            return keys.size();
        }
    }

    /** Puts go to one writer, a page of deletes ({@link DeleteKeys}) to the other. One per consumer thread. */
    static PagePipeline.PageConsumer writers(PagePipeline.PageConsumer puts, PagePipeline.PageConsumer deletes) {
        return page -> (page.items() instanceof DeleteKeys ? deletes : puts).consume(page);
    }

    private final ImportSource source;
    private final ExportManifest.DataFile file;
    private final int index;
    private final SegmentAcks acks;
    private final int pageSize;
    private final LongAdder recordsRead;
    private final StopSignal stop;

    ImportFile(ImportSource source, int index, SegmentAcks acks, int pageSize, LongAdder recordsRead, StopSignal stop) {
        this.source = source;
        this.file = source.files().get(index);
        this.index = index;
        this.acks = acks;
        this.pageSize = pageSize;
        this.recordsRead = recordsRead;
        this.stop = stop;
    }

    static Map<String, AttributeValue> positionKey(long records) {
        return Map.of(POSITION, AttributeValue.fromN(Long.toString(records)));
    }

    @Override
    public void produce(PagePipeline.PageSink sink) throws InterruptedException {
        SegmentAcks.Checkpoint start = acks.checkpoint(index);
        if (start.finished()) {
            return;
        }
        long skip = start.resumeKey() == null ? 0 : Long.parseLong(start.resumeKey().get(POSITION).n());
        try (DataFileReader reader = source.open(file)) {
            long position = 0;
            while (position < skip) {
                if (reader.next() == null) {
                    throw new IllegalStateException(source.locationOf(file) + " has fewer records than its checkpoint says were "
                            + "imported: " + position + " < " + skip);
                }
                position++;
            }
            List<Map<String, AttributeValue>> puts = new ArrayList<>();
            List<Map<String, AttributeValue>> deletes = new ArrayList<>();
            long chunkStart = position;
            long pageBytes = 0;
            while (true) {
                if (stop.requested()) {
                    return;
                }
                ExportRecord record = reader.next();
                if (record != null) {
                    position++;
                    recordsRead.increment();
                    if (record.isDelete()) {
                        deletes.add(record.keys());
                        pageBytes += ItemSize.of(record.keys());
                    } else {
                        puts.add(record.item());
                        pageBytes += ItemSize.of(record.item());
                    }
                    if (puts.size() + deletes.size() < pageSize && pageBytes < MAX_PAGE_BYTES) {
                        continue;
                    }
                }
                boolean last = record == null;
                if (last && file.itemCount() >= 0 && position != file.itemCount()) {
                    // Checked whole before the first write, the file now reads otherwise (replaced, or cut short in transit):
                    // never believe the second reading.
                    throw DynamoException.failure(source.locationOf(file) + " now holds " + position + " records, not the "
                            + file.itemCount() + " its manifest lists and the check before the writes read; it changed "
                            + "while the import ran", null);
                }
                sink.reserve();
                if (!puts.isEmpty()) {
                    // Before a page of deletes of the same records, the puts' page resumes at their start.
                    long sequence = acks.pageRead(index, puts.size(),
                            !deletes.isEmpty() ? positionKey(chunkStart) : last ? null : positionKey(position));
                    sink.put(new Page(index, sequence, puts));
                }
                if (!deletes.isEmpty()) {
                    if (!puts.isEmpty()) {
                        sink.reserve();
                    }
                    long sequence = acks.pageRead(index, deletes.size(), last ? null : positionKey(position));
                    sink.put(new Page(index, sequence, new DeleteKeys(deletes)));
                }
                if (puts.isEmpty() && deletes.isEmpty() && last) {
                    acks.pageRead(index, 0, null);
                }
                if (last) {
                    return;
                }
                puts = new ArrayList<>();
                deletes = new ArrayList<>();
                pageBytes = 0;
                chunkStart = position;
            }
        }
    }
}
